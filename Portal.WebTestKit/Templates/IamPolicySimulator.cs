using System.Text.Json.Nodes;

namespace Portal.Tests.Templates;

/// <summary>
/// One request a principal could make: an action on a resource, with the request's single-valued condition keys
/// (<see cref="Context"/>) and multivalued ones (<see cref="Lists"/>, such as <c>aws:TagKeys</c>).
/// </summary>
public sealed record IamRequest(string Action, string Resource, IReadOnlyDictionary<string, string>? Context = null)
{
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Lists { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
}

/// <summary>What IAM decides: allowed, denied because nothing allows it, or denied by a Deny statement.</summary>
public enum IamDecision
{
    Allowed,
    ImplicitDeny,
    ExplicitDeny,
}

/// <summary>
/// IAM's evaluation of identity-based policies and an optional permissions boundary within one account, after
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html:
/// a Deny statement that matches in any policy (identity or boundary) denies; otherwise, with a boundary, the request
/// must be allowed by the boundary as well as by an identity policy (the effective permissions are the intersection,
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html); otherwise it is denied implicitly.
/// No SCPs, resource-based or session policies take part. A statement matches when its Action matches (wildcards,
/// case-insensitive), its Resource matches (ARNs compared segment by segment, wildcards within a segment) and every
/// condition holds: operators are ANDed, keys within an operator are ANDed, values of one key are ORed
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
/// Supported operators: String(Not)Equals, StringEqualsIgnoreCase, String(Not)Like, Arn(Not)Equals, Arn(Not)Like,
/// Bool, Null, each with IfExists (except Null), and the ForAnyValue:/ForAllValues: set operators. A missing key makes a
/// positive operator false and a negated one true. Anything else (NotAction, NotResource, other operators, policy
/// variables) is an error rather than a guess.
/// </summary>
public static class IamPolicySimulator
{
    /// <summary>One identity policy, no boundary: true when it allows the request.</summary>
    public static bool IsAllowed(JsonNode policyDocument, IamRequest request) => Evaluate([policyDocument], null, request) == IamDecision.Allowed;

    /// <summary>The decision for a principal with these identity policies and, if not null, this permissions boundary.</summary>
    public static IamDecision Evaluate(IEnumerable<JsonNode> identityPolicies, JsonNode? permissionsBoundary, IamRequest request)
    {
        ArgumentNullException.ThrowIfNull(identityPolicies);
        ArgumentNullException.ThrowIfNull(request);
        var identity = identityPolicies.Select(p => Match(p, request)).ToList();
        StatementMatch? boundary = permissionsBoundary is null ? null : Match(permissionsBoundary, request);
        if (identity.Contains(StatementMatch.Deny) || boundary == StatementMatch.Deny)
        {
            return IamDecision.ExplicitDeny;
        }

        if (boundary is not null && boundary != StatementMatch.Allow)
        {
            return IamDecision.ImplicitDeny;
        }

        return identity.Contains(StatementMatch.Allow) ? IamDecision.Allowed : IamDecision.ImplicitDeny;
    }

    private enum StatementMatch
    {
        None,
        Allow,
        Deny,
    }

    /// <summary>Deny if any Deny statement matches, else Allow if any Allow statement matches, else None.</summary>
    private static StatementMatch Match(JsonNode policyDocument, IamRequest request)
    {
        var result = StatementMatch.None;
        foreach (var statement in Items(policyDocument["Statement"]!))
        {
            if (statement["NotAction"] is not null || statement["NotResource"] is not null || statement["NotPrincipal"] is not null)
            {
                throw new NotSupportedException("NotAction, NotResource and NotPrincipal are not simulated.");
            }

            var matches = Items(statement["Action"]!).Any(a => Glob(a.GetValue<string>(), request.Action, ignoreCase: true))
                && (statement["Resource"] is null || Items(statement["Resource"]!).Any(r => ResourceMatches(r.GetValue<string>(), request.Resource)))
                && ConditionsHold(statement["Condition"] as JsonObject, request);
            if (!matches)
            {
                continue;
            }

            if (statement["Effect"]!.GetValue<string>() == "Deny")
            {
                return StatementMatch.Deny;
            }

            result = StatementMatch.Allow;
        }

        return result;
    }

    private static bool ConditionsHold(JsonObject? conditions, IamRequest request)
    {
        foreach (var (op, block) in conditions ?? [])
        {
            foreach (var (key, expected) in block!.AsObject())
            {
                var values = Items(expected!).Select(Text).ToList();
                if (!Holds(op, key, values, request))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool Holds(string op, string key, IReadOnlyList<string> expected, IamRequest request)
    {
        if (op.Contains("${", StringComparison.Ordinal) || expected.Any(v => v.Contains("${", StringComparison.Ordinal)))
        {
            throw new NotSupportedException("Policy variables are not simulated.");
        }

        if (op == "Null")
        {
            var present = request.Context?.ContainsKey(key) == true || (request.Lists.TryGetValue(key, out var list) && list.Count > 0);
            return expected.Any(v => v == (present ? "false" : "true"));
        }

        // Set operators compare each value of a multivalued key; a missing or empty key makes ForAllValues true and
        // ForAnyValue false (reference_policies_condition-single-vs-multi-valued-context-keys.html).
        if (op.StartsWith("ForAnyValue:", StringComparison.Ordinal) || op.StartsWith("ForAllValues:", StringComparison.Ordinal))
        {
            var inner = op[(op.IndexOf(':', StringComparison.Ordinal) + 1)..];
            var actualValues = request.Lists.TryGetValue(key, out var l) ? l : request.Context?.TryGetValue(key, out var one) == true ? [one!] : [];
            return op.StartsWith("ForAnyValue:", StringComparison.Ordinal)
                ? actualValues.Any(a => Compare(inner, a, expected))
                : actualValues.All(a => Compare(inner, a, expected));
        }

        var ifExists = op.EndsWith("IfExists", StringComparison.Ordinal);
        var baseOp = ifExists ? op[..^"IfExists".Length] : op;
        if (request.Context?.TryGetValue(key, out var actual) != true)
        {
            // A missing key: IfExists and the negated operators hold, the others do not.
            return ifExists || baseOp is "StringNotEquals" or "StringNotEqualsIgnoreCase" or "StringNotLike" or "ArnNotEquals" or "ArnNotLike";
        }

        return Compare(baseOp, actual!, expected);
    }

    private static bool Compare(string op, string actual, IReadOnlyList<string> expected) => op switch
    {
        "StringEquals" => expected.Any(v => v == actual),
        "StringNotEquals" => expected.All(v => v != actual),
        "StringEqualsIgnoreCase" => expected.Any(v => string.Equals(v, actual, StringComparison.OrdinalIgnoreCase)),
        "StringNotEqualsIgnoreCase" => expected.All(v => !string.Equals(v, actual, StringComparison.OrdinalIgnoreCase)),
        "StringLike" => expected.Any(v => Glob(v, actual, ignoreCase: false)),
        "StringNotLike" => expected.All(v => !Glob(v, actual, ignoreCase: false)),

        // ArnEquals and ArnLike are the same test: each of the six colon-separated parts matched on its own.
        "ArnEquals" or "ArnLike" => expected.Any(v => ArnMatches(v, actual)),
        "ArnNotEquals" or "ArnNotLike" => expected.All(v => !ArnMatches(v, actual)),
        "Bool" => expected.Any(v => string.Equals(v, actual, StringComparison.OrdinalIgnoreCase)),
        _ => throw new NotSupportedException($"Condition operator {op} is not simulated."),
    };

    /// <summary><c>*</c> alone matches everything; ARNs compare part by part; anything else as a glob.</summary>
    private static bool ResourceMatches(string pattern, string resource) =>
        pattern.Contains("${", StringComparison.Ordinal) ? throw new NotSupportedException("Policy variables are not simulated.") :
        pattern == "*" || (pattern.StartsWith("arn:", StringComparison.Ordinal) && resource.StartsWith("arn:", StringComparison.Ordinal)
            ? ArnMatches(pattern, resource)
            : Glob(pattern, resource, ignoreCase: false));

    /// <summary>
    /// An ARN pattern against an ARN: partition, service, region, account and resource each matched with wildcards,
    /// so a <c>*</c> in the region never swallows the account. The resource part keeps its own colons.
    /// </summary>
    private static bool ArnMatches(string pattern, string arn)
    {
        var p = pattern.Split(':', 6);
        var a = arn.Split(':', 6);
        return p.Length == 6 && a.Length == 6 && p.Zip(a).All(pair => Glob(pair.First, pair.Second, ignoreCase: false));
    }

    /// <summary>IAM's wildcards (the same glob as CloudFront's path patterns); actions compare without case.</summary>
    private static bool Glob(string pattern, string value, bool ignoreCase) =>
        ignoreCase ? Core.Text.Wildcard.Matches(pattern.ToLowerInvariant(), value.ToLowerInvariant()) : Core.Text.Wildcard.Matches(pattern, value);

    private static string Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False
        ? v.GetValue<bool>() ? "true" : "false"
        : node!.GetValue<string>();

    private static IEnumerable<JsonNode> Items(JsonNode node) => node is JsonArray array ? array.Select(n => n!) : [node];
}
