using System.Text.Json.Nodes;

namespace Portal.Tests.Templates;

/// <summary>One request a principal could make: an action on a resource, with the request's condition keys.</summary>
public sealed record IamRequest(string Action, string Resource, IReadOnlyDictionary<string, string>? Context = null);

/// <summary>
/// IAM's evaluation of an identity policy for the statements our templates write: a request is allowed when some
/// Allow statement matches its action and resource (with <c>*</c> and <c>?</c> wildcards) and all of that statement's
/// StringEquals/StringLike conditions hold, and no Deny statement matches. Any other condition operator, NotAction or
/// NotResource is an error rather than a guess.
/// </summary>
public static class IamPolicySimulator
{
    public static bool IsAllowed(JsonNode policyDocument, IamRequest request)
    {
        ArgumentNullException.ThrowIfNull(policyDocument);
        ArgumentNullException.ThrowIfNull(request);
        var allowed = false;
        foreach (var statement in Items(policyDocument["Statement"]!))
        {
            if (statement["NotAction"] is not null || statement["NotResource"] is not null || statement["NotPrincipal"] is not null)
            {
                throw new NotSupportedException("NotAction, NotResource and NotPrincipal are not simulated.");
            }

            var matches = Items(statement["Action"]!).Any(a => Wildcard(a.GetValue<string>(), request.Action, ignoreCase: true))
                && (statement["Resource"] is null || Items(statement["Resource"]!).Any(r => Wildcard(r.GetValue<string>(), request.Resource, ignoreCase: false)))
                && ConditionsHold(statement["Condition"] as JsonObject, request.Context ?? new Dictionary<string, string>());
            if (!matches)
            {
                continue;
            }

            if (statement["Effect"]!.GetValue<string>() == "Deny")
            {
                return false;
            }

            allowed = true;
        }

        return allowed;
    }

    private static bool ConditionsHold(JsonObject? conditions, IReadOnlyDictionary<string, string> context)
    {
        foreach (var (op, block) in conditions ?? [])
        {
            foreach (var (key, expected) in block!.AsObject())
            {
                if (!context.TryGetValue(key, out var actual))
                {
                    return false;
                }

                var values = Items(expected!).Select(v => v.GetValue<string>());
                var holds = op switch
                {
                    "StringEquals" => values.Any(v => v == actual),
                    "StringLike" => values.Any(v => Wildcard(v, actual, ignoreCase: false)),
                    _ => throw new NotSupportedException($"Condition operator {op} is not simulated."),
                };
                if (!holds)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>IAM's wildcards (the same glob as CloudFront's path patterns); actions compare without case.</summary>
    private static bool Wildcard(string pattern, string value, bool ignoreCase) =>
        ignoreCase ? Core.Text.Wildcard.Matches(pattern.ToLowerInvariant(), value.ToLowerInvariant()) : Core.Text.Wildcard.Matches(pattern, value);

    private static IEnumerable<JsonNode> Items(JsonNode node) => node is JsonArray array ? array.Select(n => n!) : [node];
}
