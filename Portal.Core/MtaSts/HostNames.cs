using System.Globalization;
using Portal.Core.Text;

namespace Portal.Core.MtaSts;

/// <summary>
/// Host-name syntax as RFC 5321 section 4.1.2 defines <c>Domain</c> (letters, digits and inner hyphens per label),
/// with the DNS length limits of RFC 1035 section 2.3.4. MX patterns and report addresses use it.
/// It judges what other servers publish, so it accepts what the RFCs accept (upper case, single labels);
/// <see cref="Requests.HostNameRules"/> judges what the portal itself will create and is stricter.
/// </summary>
internal static class HostNames
{
    private const int MaxNameLength = 253;
    private const int MaxLabelLength = 63;

    /// <summary>Returns why <paramref name="name"/> is not a host name, or null when it is one.</summary>
    public static string? Problem(string name)
    {
        if (name.Length == 0)
        {
            return "is empty";
        }

        foreach (var c in name)
        {
            if (c > 0x7E)
            {
                return "contains the non-ASCII character " + UserText.Describe(c)
                    + "; write internationalised names in their A-label (punycode) form" + SuggestALabel(name);
            }

            if (c <= 0x20 || c == 0x7F)
            {
                return "contains " + (c == ' ' ? "a space" : UserText.Describe(c));
            }
        }

        if (name.EndsWith('.'))
        {
            return "ends with a dot; write the name without the trailing dot";
        }

        if (name.Length > MaxNameLength)
        {
            return $"is {name.Length} characters long; a host name has at most {MaxNameLength}";
        }

        if (LooksLikeIpAddress(name))
        {
            return "is an IP address, not a host name";
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length == 0)
            {
                return "contains an empty label (two dots in a row or a leading dot)";
            }

            if (label.Length > MaxLabelLength)
            {
                return $"has a label of {label.Length} characters; a label has at most {MaxLabelLength}";
            }

            foreach (var c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-')
                {
                    return $"contains {UserText.Describe(c)}; a host name has only letters, digits, hyphens and dots";
                }
            }

            if (label[0] == '-' || label[^1] == '-')
            {
                return $"has the label {UserText.Quote(label)}, which starts or ends with a hyphen";
            }
        }

        return null;
    }

    /// <summary>
    /// A name whose last label is all digits cannot be a host name (no top-level domain is numeric), which catches
    /// dotted IPv4 addresses; a colon or bracket catches IPv6 literals.
    /// </summary>
    public static bool LooksLikeIpAddress(string name)
    {
        if (name.Contains(':', StringComparison.Ordinal) || name.StartsWith('['))
        {
            return true;
        }

        var lastDot = name.LastIndexOf('.');
        var last = lastDot < 0 ? name : name[(lastDot + 1)..];
        return lastDot >= 0 && last.Length > 0 && last.All(char.IsAsciiDigit);
    }

    private static string SuggestALabel(string name)
    {
        try
        {
            var ascii = new IdnMapping().GetAscii(name.TrimEnd('.'));
            return ", e.g. " + UserText.Quote(ascii);
        }
        catch (ArgumentException)
        {
            return "";
        }
    }
}
