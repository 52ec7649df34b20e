using System.Text.RegularExpressions;
using Portal.Core.Requests;
using Portal.Core.Workflow;

namespace Portal.Core.Teams;

/// <summary>
/// Who may put a request in a team, and what a team id looks like. A team id is what an identity provider's group
/// claim carries and what requests store, so it is short, lower case and stable; the display name may change.
/// </summary>
public static partial class TeamRules
{
    public const int MaxIdLength = 64;
    public const int MaxNameLength = 200;

    /// <summary>A team id is written as a provider's group value or a slug: letters, digits, '-', '_', '.'.</summary>
    public static string? IdProblem(string? id) =>
        string.IsNullOrWhiteSpace(id) ? "A team needs an id, e.g. web-platform."
        : id.Length > MaxIdLength ? $"A team id has at most {MaxIdLength} characters."
        : !IdPattern().IsMatch(id) ? "A team id uses lower-case letters, digits, '-', '_' and '.', starting with a letter or digit."
        : null;

    public static string? NameProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "A team needs a name."
        : name.Length > MaxNameLength ? $"A team name has at most {MaxNameLength} characters."
        : name.Any(char.IsControl) ? "A team name is one line of text."
        : null;

    /// <summary>
    /// Whether <paramref name="actor"/> may make a request owned by <paramref name="teamId"/>: a member of it, or an
    /// admin (who may act for any team). No team is the person's own scope, always allowed.
    /// </summary>
    public static FieldError? CheckCreateIn(Actor actor, string? teamId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (teamId is null || actor.IsMemberOf(teamId) || actor.IsIn(PortalRole.Admin))
        {
            return null;
        }

        return new FieldError("team", $"You are not a member of team '{teamId}'; choose one of your teams, or none.");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
