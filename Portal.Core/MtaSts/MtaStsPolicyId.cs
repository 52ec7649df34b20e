using System.Security.Cryptography;
using System.Text;

namespace Portal.Core.MtaSts;

/// <summary>
/// The <c>id</c> published in the <c>_mta-sts</c> TXT record (RFC 8461 section 3.1: 1 to 32 letters or digits,
/// which senders compare to decide whether to fetch the policy again).
/// </summary>
/// <remarks>
/// The id is the first 32 lower-case hex digits (128 bits) of the SHA-256 of the exact policy body that
/// <see cref="MtaStsPolicy.Serialize"/> produces. Serialization is canonical (fixed field order, one spelling per
/// value), so the same policy always gives the same id, and any change to the served body (mode, max_age, an mx
/// pattern, or the order of the patterns) gives a different id, with the chance of two bodies sharing an id
/// negligible (a 128-bit hash). Deriving the id from content rather than from a clock or a counter means
/// re-rendering an unchanged policy never changes the TXT record, and rolling back to an earlier policy restores
/// its earlier id.
/// </remarks>
public static class MtaStsPolicyId
{
    public const int Length = 32;

    public static string For(MtaStsPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(policy.Serialize()));
        return Convert.ToHexStringLower(hash)[..Length];
    }

    /// <summary>Whether <paramref name="id"/> has the syntax RFC 8461 section 3.1 requires: 1 to 32 ASCII letters or digits.</summary>
    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= Length } && id.All(char.IsAsciiLetterOrDigit);
}
