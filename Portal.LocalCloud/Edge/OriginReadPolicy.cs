using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Portal.LocalCloud.Edge;

/// <summary>What a distribution's read of an S3 object carries into the bucket policy's evaluation.</summary>
/// <param name="SignedBy">The distribution's ARN when its origin signs with an origin access control; null for an unsigned (anonymous) read.</param>
/// <param name="Secure">Whether CloudFront reaches S3 over TLS: it uses the viewer's protocol for S3 origins.</param>
public sealed record OriginRead(string Bucket, string Key, string? SignedBy, string Account, bool Secure);

/// <summary>
/// Whether a bucket policy lets CloudFront read an object, by AWS's evaluation logic for a request no identity policy
/// applies to (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html): an explicit
/// Deny wins, otherwise an Allow is needed, otherwise the read is denied. A read signed through an origin access
/// control is made by the service principal <c>cloudfront.amazonaws.com</c> with <c>aws:SourceArn</c> set to the
/// distribution's ARN and <c>aws:SourceAccount</c> to its account
/// (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html);
/// an unsigned read is anonymous and matches only <c>"Principal": "*"</c>.
/// </summary>
/// <remarks>
/// The condition operators and keys a bucket policy for CloudFront uses are understood; any other makes its condition
/// false, as a missing key does at AWS, so an Allow with it grants nothing. A statement with an element this evaluator
/// does not read (NotPrincipal, NotAction, NotResource) grants nothing and, if it denies, denies: the fake never lets
/// through what AWS might refuse.
/// </remarks>
public static partial class OriginReadPolicy
{
    private const string Action = "s3:GetObject";

    public static bool Allows(JsonObject? policy, OriginRead read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var statements = policy?["Statement"] switch
        {
            JsonArray array => array.OfType<JsonObject>().ToList(),
            JsonObject one => [one],
            _ => [],
        };
        var allowed = false;
        foreach (var statement in statements)
        {
            var deny = string.Equals(EdgeDistribution.Text(statement["Effect"]), "Deny", StringComparison.Ordinal);
            var unreadable = statement.ContainsKey("NotPrincipal") || statement.ContainsKey("NotAction") || statement.ContainsKey("NotResource");
            if (unreadable)
            {
                if (deny)
                {
                    return false;
                }

                continue;
            }

            if (!Applies(statement, read))
            {
                continue;
            }

            if (deny)
            {
                return false;
            }

            allowed = true;
        }

        return allowed;
    }

    private static bool Applies(JsonObject statement, OriginRead read) =>
        PrincipalMatches(statement["Principal"], read)
        && Values(statement["Action"]).Any(a => Wildcard(a, Action, ignoreCase: true))
        && Values(statement["Resource"]).Any(r => Wildcard(r, $"arn:aws:s3:::{read.Bucket}/{read.Key}", ignoreCase: false))
        && ConditionsHold(statement["Condition"] as JsonObject, read);

    private static bool PrincipalMatches(JsonNode? principal, OriginRead read) => principal switch
    {
        JsonValue value => EdgeDistribution.Text(value) == "*",
        JsonObject map => map.Any(p => p.Key switch
        {
            "AWS" => Values(p.Value).Contains("*"),
            "Service" => read.SignedBy is not null && Values(p.Value).Contains("cloudfront.amazonaws.com"),
            _ => false,
        }),
        _ => false,
    };

    private static bool ConditionsHold(JsonObject? conditions, OriginRead read)
    {
        if (conditions is null)
        {
            return true;
        }

        foreach (var (operatorName, keys) in conditions)
        {
            if (keys is not JsonObject byKey)
            {
                return false;
            }

            foreach (var (key, expected) in byKey)
            {
                var actual = ContextValue(key, read);
                var wanted = Values(expected).ToList();
                var holds = operatorName switch
                {
                    "StringEquals" or "ArnEquals" => actual is not null && wanted.Contains(actual, StringComparer.Ordinal),
                    "StringNotEquals" or "ArnNotEquals" => actual is not null && !wanted.Contains(actual, StringComparer.Ordinal),
                    "StringLike" or "ArnLike" => actual is not null && wanted.Any(w => Wildcard(w, actual, ignoreCase: false)),
                    "Bool" => actual is not null && wanted.Contains(actual, StringComparer.OrdinalIgnoreCase),
                    _ => false,
                };
                if (!holds)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>The request context a CloudFront read has; condition key names are not case-sensitive.</summary>
    private static string? ContextValue(string key, OriginRead read) => key.ToLowerInvariant() switch
    {
        "aws:sourcearn" => read.SignedBy,
        "aws:sourceaccount" => read.SignedBy is null ? null : read.Account,
        "aws:securetransport" => read.Secure ? "true" : "false",
        _ => null,
    };

    private static IEnumerable<string> Values(JsonNode? node) => node switch
    {
        JsonArray array => array.Select(EdgeDistribution.Text).OfType<string>(),
        JsonValue value => EdgeDistribution.Text(value) is { } text ? [text] : [],
        _ => [],
    };

    /// <summary>IAM's wildcards: <c>*</c> any run of characters, <c>?</c> one character.</summary>
    private static bool Wildcard(string pattern, string value, bool ignoreCase)
    {
        var regex = "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";
        return Regex.IsMatch(value, regex, (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None) | RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }
}
