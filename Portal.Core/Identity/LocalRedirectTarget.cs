namespace Portal.Core.Identity;

/// <summary>
/// The one rule for where the portal may send a browser after sign-in, step-up, sign-out or the built-in provider's
/// pages: a path on this site, written in printable ASCII. Browsers forgive a lot in a Location header (they drop tab,
/// CR and LF, read <c>\</c> as <c>/</c>, and some decode <c>%2F</c> before resolving), so anything that could become
/// another host under one of those readings is refused rather than repaired, and the caller goes to the dashboard.
/// </summary>
public static class LocalRedirectTarget
{
    /// <summary>Longer return addresses are not something the portal ever makes; refusing them keeps headers small.</summary>
    public const int MaxLength = 2048;

    public const string Root = "/";

    /// <summary><paramref name="candidate"/> when it is a local path by <see cref="IsLocal"/>, otherwise <see cref="Root"/>.</summary>
    public static string OrRoot(string? candidate) => IsLocal(candidate) ? candidate! : Root;

    public static bool IsLocal(string? candidate)
    {
        if (string.IsNullOrEmpty(candidate) || candidate.Length > MaxLength || candidate[0] != '/')
        {
            return false;
        }

        // Printable ASCII only: controls, spaces of any kind (U+3000, U+2028) and look-alikes such as the fullwidth
        // solidus have no business in an address the portal made itself (it percent-encodes everything else).
        foreach (var c in candidate)
        {
            if (c is < '!' or > '~' or '\\')
            {
                return false;
            }
        }

        if (StartsLikeAuthority(candidate))
        {
            return false;
        }

        // The same checks on the path as a decoding proxy or browser would read it: %2F, %5C, %09 and friends.
        var end = candidate.IndexOfAny(['?', '#']);
        var path = end < 0 ? candidate : candidate[..end];
        if (!path.Contains('%', StringComparison.Ordinal))
        {
            return true;
        }

        var decoded = path;
        for (var round = 0; round < 3 && decoded.Contains('%', StringComparison.Ordinal); round++)
        {
            var next = Uri.UnescapeDataString(decoded);
            if (next == decoded)
            {
                break;
            }

            decoded = next;
            if (decoded.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\' || c == '\uFF0F' || c == '\uFF3C') || StartsLikeAuthority(decoded))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>//host</c> or <c>/\host</c>: a scheme-relative address, another site.</summary>
    private static bool StartsLikeAuthority(string path) => path.Length > 1 && path[1] is '/' or '\\';
}
