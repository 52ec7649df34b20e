using Portal.Core.Requests;

namespace Portal.Core.Zones;

/// <summary>
/// A hosted zone an admin allowed: to one team (<see cref="TeamId"/>), or to everyone (null). <see cref="AccountId"/> is
/// the AWS account that holds the zone, null for the portal's one account.
/// </summary>
public sealed record ZoneGrant(string ZoneId, string ZoneName, string? TeamId, string? AccountId = null);

/// <summary>
/// Which hosted zones a request may use. A testing deployment needs no approval, so this is what stops a request from
/// putting a certificate, a distribution and DNS records into any zone the portal's identity can write. The same rule
/// runs in the forms, the API and the deployment engine.
/// </summary>
public static class ZoneRules
{
    /// <summary>
    /// Zones a request of <paramref name="teamId"/> may use: those allowed to everyone and those allowed to that team.
    /// </summary>
    public static IReadOnlyList<ZoneGrant> ForTeam(IEnumerable<ZoneGrant> grants, string? teamId)
    {
        ArgumentNullException.ThrowIfNull(grants);
        return grants.Where(g => g.TeamId is null || (teamId is not null && g.TeamId == teamId))
            .GroupBy(g => g.ZoneId, StringComparer.Ordinal).Select(g => g.First())
            .OrderBy(g => g.ZoneName, StringComparer.Ordinal).ToList();
    }

    /// <summary>Zones a person may pick: those allowed to everyone and to any of their teams.</summary>
    public static IReadOnlyList<ZoneGrant> ForPerson(IEnumerable<ZoneGrant> grants, IReadOnlySet<string> teams, bool isAdmin)
    {
        ArgumentNullException.ThrowIfNull(grants);
        ArgumentNullException.ThrowIfNull(teams);
        return grants.Where(g => isAdmin || g.TeamId is null || teams.Contains(g.TeamId))
            .GroupBy(g => g.ZoneId, StringComparer.Ordinal).Select(g => g.First())
            .OrderBy(g => g.ZoneName, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Fills the zone id from the zone name when only the name was given and exactly one known zone has it, so a
    /// caller may write the name alone. Anything else is left as it is for <see cref="Check"/> to judge.
    /// </summary>
    public static RequestSpec ResolveZoneId(RequestSpec spec, IEnumerable<ZoneGrant> known)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(known);
        var (name, id) = ZoneOf(spec);
        if (!string.IsNullOrEmpty(id) || string.IsNullOrEmpty(name))
        {
            return spec;
        }

        var matches = known.Where(z => SameName(z.ZoneName, name)).Select(z => z.ZoneId).Distinct(StringComparer.Ordinal).ToList();
        if (matches.Count != 1)
        {
            return spec;
        }

        return spec switch
        {
            SiteSpec site => site with { HostedZoneId = matches[0] },
            MtaStsSpec mta => mta with { HostedZoneId = matches[0] },
            _ => spec,
        };
    }

    /// <summary>
    /// The refusal for a request whose zone is not among <paramref name="allowed"/>, or null. Enforced only once
    /// <paramref name="enforced"/> (an admin allowed at least one zone): until then every zone is open, as before zones
    /// were managed, and the zones page says so. An MTA-STS policy whose DNS is outside Route53 names no zone.
    /// </summary>
    public static FieldError? Check(RequestSpec spec, IReadOnlyList<ZoneGrant> allowed, bool enforced)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(allowed);
        var (name, id) = ZoneOf(spec);
        if (!enforced || string.IsNullOrEmpty(id))
        {
            return null;
        }

        var field = string.IsNullOrEmpty(name) ? "hostedZoneId" : "hostedZoneName";
        var match = allowed.FirstOrDefault(z => string.Equals(z.ZoneId, id, StringComparison.Ordinal));
        if (match is null)
        {
            var choices = allowed.Count == 0
                ? "no hosted zone is allowed to you; ask an admin to allow one to your team"
                : "allowed: " + string.Join(", ", allowed.Select(z => z.ZoneName));
            return new FieldError(field, $"The hosted zone {Describe(name, id)} is not one you may use ({choices}).");
        }

        return !string.IsNullOrEmpty(name) && !SameName(match.ZoneName, name)
            ? new FieldError("hostedZoneName", $"The hosted zone {id} is {match.ZoneName}, not {name}.")
            : null;
    }

    private static string Describe(string? name, string id) => string.IsNullOrEmpty(name) ? id : $"{name} ({id})";

    private static (string? Name, string? Id) ZoneOf(RequestSpec spec) => spec switch
    {
        SiteSpec site => (site.HostedZoneName, site.HostedZoneId),
        MtaStsSpec mta => (mta.HostedZoneName, mta.HostedZoneId),
        _ => (null, null),
    };

    private static bool SameName(string a, string b) =>
        string.Equals(a.TrimEnd('.'), b.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);
}
