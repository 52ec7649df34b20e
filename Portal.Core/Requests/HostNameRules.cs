using System.Globalization;
using System.Net;

namespace Portal.Core.Requests;

/// <summary>
/// DNS host name rules shared by every form and parser: names are stored as IDNA A-labels in lower case,
/// because that is what Route53, ACM and CloudFront accept and what DNS compares. Policies and records published by
/// others are parsed with the RFC's looser rules instead (<c>MtaSts.HostNames</c>).
/// </summary>
public static class HostNameRules
{
    public const int MaxNameLength = 253;
    public const int MaxLabelLength = 63;

    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true, AllowUnassigned = false };

    /// <summary>Returns null when <paramref name="name"/> is a valid host name, or a message saying what is wrong.</summary>
    public static string? Check(string? name) => Check(name, allowWildcard: false);

    /// <summary>As <see cref="Check(string?)"/>, optionally allowing <c>*</c> as the whole left-most label (MTA-STS mx patterns).</summary>
    public static string? Check(string? name, bool allowWildcard)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "is required.";
        }

        if (name.Length != name.Trim().Length)
        {
            return "must not start or end with spaces.";
        }

        if (name.EndsWith('.'))
        {
            return $"must not end with a dot: use '{name.TrimEnd('.')}'.";
        }

        if (name.Length > MaxNameLength)
        {
            return $"is {name.Length} characters long; a DNS name has at most {MaxNameLength}.";
        }

        if (IPAddress.TryParse(name, out _) || IPAddress.TryParse(name.Trim('[', ']'), out _))
        {
            return "must be a host name, not an IP address.";
        }

        if (!name.All(char.IsAscii))
        {
            return DescribeNonAscii(name);
        }

        if (name.Any(char.IsUpper))
        {
            return $"must be lower case: use '{name.ToLowerInvariant()}'.";
        }

        var labels = name.Split('.');
        if (labels.Length < 2)
        {
            return "must have at least two labels, like 'example.com'.";
        }

        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (label == "*" && i == 0 && allowWildcard)
            {
                if (labels.Length < 3)
                {
                    return "a wildcard pattern needs at least two labels after '*.'.";
                }

                continue;
            }

            var problem = CheckLabel(label, allowWildcard);
            if (problem is not null)
            {
                return problem;
            }
        }

        if (labels[^1].All(char.IsAsciiDigit))
        {
            return "must end in a top-level domain, not a number.";
        }

        return null;
    }

    /// <summary>True when <paramref name="name"/> equals <paramref name="zone"/> or lies under it.</summary>
    public static bool IsWithinZone(string name, string zone) =>
        string.Equals(name, zone, StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("." + zone, StringComparison.OrdinalIgnoreCase);

    private static string? CheckLabel(string label, bool allowWildcard)
    {
        if (label.Length == 0)
        {
            return "must not contain an empty label ('..').";
        }

        if (label.Contains('*', StringComparison.Ordinal))
        {
            return allowWildcard
                ? "may use '*' only as the whole left-most label, like '*.mail.example.com'."
                : "must not contain '*'.";
        }

        if (label.Length > MaxLabelLength)
        {
            return $"has a label of {label.Length} characters ('{label[..20]}...'); a DNS label has at most {MaxLabelLength}.";
        }

        if (!label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            var bad = label.First(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'));
            return $"may contain only letters, digits and hyphens; '{Printable(bad)}' is not allowed.";
        }

        if (label.StartsWith('-') || label.EndsWith('-'))
        {
            return $"has a label that starts or ends with a hyphen ('{label}').";
        }

        if (label.Length >= 4 && label[2] == '-' && label[3] == '-')
        {
            if (!label.StartsWith("xn--", StringComparison.Ordinal))
            {
                return $"has a label with hyphens in the third and fourth positions ('{label}'), reserved for IDNA.";
            }

            try
            {
                Idn.GetUnicode(label);
            }
            catch (ArgumentException)
            {
                return $"has an invalid internationalized label ('{label}').";
            }
        }

        return null;
    }

    private static string DescribeNonAscii(string name)
    {
        try
        {
            var ascii = Idn.GetAscii(name.ToLowerInvariant());
            return $"must be written in ASCII (IDNA A-labels): use '{ascii}'.";
        }
        catch (ArgumentException)
        {
            return "contains characters that are not allowed in a host name.";
        }
    }

    private static string Printable(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : c.ToString();
}
