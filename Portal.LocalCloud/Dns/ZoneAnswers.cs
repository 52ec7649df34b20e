using System.Globalization;
using System.Net;
using System.Text;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Portal.LocalCloud.Route53;

namespace Portal.LocalCloud.Dns;

/// <summary>The answer to one question: the return code and the answer and authority sections.</summary>
public sealed record ZoneAnswer(ReturnCode Code, bool Authoritative, IReadOnlyList<DnsRecordBase> Answers, IReadOnlyList<DnsRecordBase> Authority);

/// <summary>
/// Answers a question from Route53's hosted zones as their name servers do: the most specific public zone that holds
/// the name answers authoritatively; a name with records of another type gets NOERROR with no answer and the zone's
/// SOA (NODATA); a name with nothing at or under it gets NXDOMAIN; a CNAME answers any type and is followed inside
/// the zones; an alias to a CloudFront distribution answers the edge's address; a name outside every zone is REFUSED.
/// Private zones answer nothing here: outside their VPC nobody can query them.
/// </summary>
public static class ZoneAnswers
{
    private const int SoaTtl = 900;
    private const int MaxChain = 8;

    public static ZoneAnswer Answer(IReadOnlyList<Route53Service.HostedZoneView> zones, DnsQuestion question, DnsOptions options)
    {
        ArgumentNullException.ThrowIfNull(zones);
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(options);
        var name = Normalize(question.Name.ToString());
        var zone = ZoneOf(zones, name);
        if (zone is null)
        {
            return new ZoneAnswer(ReturnCode.Refused, false, [], []);
        }

        var answers = new List<DnsRecordBase>();
        var current = name;
        for (var step = 0; step < MaxChain; step++)
        {
            var records = RecordsAt(zone, current);
            if (records.Count == 0)
            {
                var exists = zone.Records.Any(r => Normalize(r.Name).EndsWith("." + current, StringComparison.Ordinal));
                return exists
                    ? new ZoneAnswer(ReturnCode.NoError, true, answers, [Soa(zone)])
                    : new ZoneAnswer(ReturnCode.NxDomain, true, answers, [Soa(zone)]);
            }

            var type = question.RecordType.ToString().ToUpperInvariant();
            var wanted = records.Where(r => r.Type == type).ToList();
            if (question.RecordType == RecordType.Any)
            {
                wanted = records.ToList();
            }

            if (wanted.Count > 0)
            {
                answers.AddRange(wanted.SelectMany(r => Records(zone, current, r, options)));
                return new ZoneAnswer(ReturnCode.NoError, true, answers, []);
            }

            var cname = records.FirstOrDefault(r => r.Type == "CNAME" && r.AliasTarget is null && r.Values.Count > 0);
            if (cname is null)
            {
                return new ZoneAnswer(ReturnCode.NoError, true, answers, [Soa(zone)]);
            }

            answers.AddRange(Records(zone, current, cname, options));
            var target = Normalize(cname.Values[0]);
            var targetZone = ZoneOf(zones, target);
            if (targetZone is null)
            {
                return new ZoneAnswer(ReturnCode.NoError, true, answers, []);
            }

            zone = targetZone;
            current = target;
        }

        return new ZoneAnswer(ReturnCode.ServerFailure, false, [], []);
    }

    private static Route53Service.HostedZoneView? ZoneOf(IReadOnlyList<Route53Service.HostedZoneView> zones, string name) =>
        zones.Where(z => !z.Private)
            .Where(z => name == Normalize(z.Name) || name.EndsWith("." + Normalize(z.Name), StringComparison.Ordinal))
            .OrderByDescending(z => Normalize(z.Name).Length)
            .FirstOrDefault();

    // Exact records first; a wildcard record (*.parent) covers a name that has none, as Route53's do.
    private static List<Route53Service.RecordSetView> RecordsAt(Route53Service.HostedZoneView zone, string name)
    {
        var exact = zone.Records.Where(r => Normalize(r.Name) == name).ToList();
        if (exact.Count > 0 || zone.Records.Any(r => Normalize(r.Name).EndsWith("." + name, StringComparison.Ordinal)))
        {
            return exact;
        }

        var dot = name.IndexOf('.', StringComparison.Ordinal);
        var wildcard = dot > 0 ? "*" + name[dot..] : null;
        return wildcard is null ? [] : zone.Records.Where(r => Normalize(r.Name) == wildcard).ToList();
    }

    private static IEnumerable<DnsRecordBase> Records(Route53Service.HostedZoneView zone, string owner, Route53Service.RecordSetView record, DnsOptions options)
    {
        var name = DomainName.Parse(owner);
        var ttl = (int)(record.Ttl ?? options.AliasTtl);
        if (record.AliasTarget is { } alias)
        {
            if (Normalize(alias).EndsWith(".cloudfront.net", StringComparison.Ordinal))
            {
                if (record.Type == "A")
                {
                    yield return new ARecord(name, options.AliasTtl, options.EdgeAddressV4);
                }
                else if (record.Type == "AAAA")
                {
                    yield return new AaaaRecord(name, options.AliasTtl, options.EdgeAddressV6);
                }
            }

            yield break;
        }

        foreach (var value in record.Values)
        {
            switch (record.Type)
            {
                case "A" when IPAddress.TryParse(value, out var v4):
                    yield return new ARecord(name, ttl, v4);
                    break;
                case "AAAA" when IPAddress.TryParse(value, out var v6):
                    yield return new AaaaRecord(name, ttl, v6);
                    break;
                case "CNAME":
                    yield return new CNameRecord(name, ttl, DomainName.Parse(Normalize(value)));
                    break;
                case "NS":
                    yield return new NsRecord(name, ttl, DomainName.Parse(Normalize(value)));
                    break;
                case "TXT":
                    yield return new TxtRecord(name, ttl, TxtStrings(value));
                    break;
                case "MX":
                    var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length == 2 && ushort.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var preference))
                    {
                        yield return new MxRecord(name, ttl, preference, DomainName.Parse(Normalize(parts[1])));
                    }

                    break;
                case "SOA":
                    yield return Soa(zone);
                    break;
            }
        }
    }

    /// <summary>The zone's SOA: its own record set when it has one, else one in Route53's default form.</summary>
    public static SoaRecord Soa(Route53Service.HostedZoneView zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var apex = Normalize(zone.Name);
        var soa = zone.Records.FirstOrDefault(r => r.Type == "SOA" && Normalize(r.Name) == apex && r.Values.Count > 0);
        var fields = soa?.Values[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields is { Length: 7 })
        {
            var numbers = fields[2..].Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            return new SoaRecord(DomainName.Parse(apex), (int)(soa!.Ttl ?? SoaTtl), DomainName.Parse(Normalize(fields[0])), DomainName.Parse(Normalize(fields[1])),
                (uint)numbers[0], (int)numbers[1], (int)numbers[2], (int)numbers[3], (int)numbers[4]);
        }

        return new SoaRecord(DomainName.Parse(apex), SoaTtl, DomainName.Parse("ns-local." + apex), DomainName.Parse("awsdns-hostmaster.amazon.com"),
            1, 7200, 900, 1209600, 86400);
    }

    /// <summary>The character strings of a TXT value in Route53's text form: one or more quoted strings, <c>\"</c> and <c>\\</c> escaped.</summary>
    public static IReadOnlyList<string> TxtStrings(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        if (!trimmed.StartsWith('"'))
        {
            return [trimmed];
        }

        var strings = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < trimmed.Length; i++)
        {
            var c = trimmed[i];
            if (quoted && c == '\\' && i + 1 < trimmed.Length)
            {
                current.Append(trimmed[++i]);
            }
            else if (c == '"')
            {
                if (quoted)
                {
                    strings.Add(current.ToString());
                    current.Clear();
                }

                quoted = !quoted;
            }
            else if (quoted)
            {
                current.Append(c);
            }
        }

        return strings;
    }

    private static string Normalize(string name) => name.Trim().TrimEnd('.').ToLowerInvariant();
}
