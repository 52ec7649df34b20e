using System.Security.Claims;

namespace Portal.Core.Identity;

/// <summary>
/// When a sign-in counts as multi-factor: the token's <c>amr</c> holds one of <see cref="AmrValues"/>, or its
/// <c>acr</c> (or one of Entra's <c>acrs</c> authentication contexts) is one of <see cref="AcrValues"/>.
/// Providers differ in what they assert, so both are configurable; the default is the common <c>amr</c> value <c>mfa</c>.
/// </summary>
public sealed record MfaRule(IReadOnlyCollection<string> AmrValues, IReadOnlyCollection<string> AcrValues)
{
    public static MfaRule Default { get; } = new(["mfa"], []);

    public bool IsSatisfiedBy(IEnumerable<Claim> claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var list = claims as IReadOnlyCollection<Claim> ?? claims.ToList();
        if (AmrValues.Count > 0 && ClaimValues.Of(list, PortalClaimTypes.Amr).Any(v => AmrValues.Contains(v, StringComparer.Ordinal)))
        {
            return true;
        }

        if (AcrValues.Count == 0)
        {
            return false;
        }

        return ClaimValues.Of(list, PortalClaimTypes.Acr).Concat(ClaimValues.Of(list, PortalClaimTypes.Acrs))
            .Any(v => AcrValues.Contains(v, StringComparer.Ordinal));
    }

    /// <summary>Words for a person told that their sign-in did not prove MFA.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (AmrValues.Count > 0)
        {
            parts.Add($"an authentication method (amr) of {string.Join(" or ", AmrValues)}");
        }

        if (AcrValues.Count > 0)
        {
            parts.Add($"an authentication context (acr/acrs) of {string.Join(" or ", AcrValues)}");
        }

        return string.Join(", or ", parts);
    }
}
