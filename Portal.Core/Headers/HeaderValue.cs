namespace Portal.Core.Headers;

/// <summary>
/// The one rule for a response header value the portal serves through CloudFront (Permissions-Policy, Referrer-Policy,
/// Cache-Control): the request validator and the stack renderer both ask it, so a value the form accepts always renders.
/// A value is printable ASCII (U+0020..U+007E) on one line, with no leading or trailing space (RFC 9110 section 5.5
/// trims those, and the CloudFormation parameter pattern refuses everything else); the empty string means "no header".
/// </summary>
public static class HeaderValue
{
    /// <summary>CloudFront's limit on a header value in a response headers policy.</summary>
    public const int CloudFrontMaxLength = 1783;

    /// <summary>Null when <paramref name="value"/> may be served; otherwise what is wrong, worded to follow the header's name.</summary>
    public static string? Problem(string? value, int maxLength, bool required)
    {
        if (string.IsNullOrEmpty(value))
        {
            return required ? "is required." : null;
        }

        if (value.Length > maxLength)
        {
            return $"is {value.Length} characters long; at most {maxLength}.";
        }

        var bad = value.AsSpan().IndexOfAnyExceptInRange((char)0x20, (char)0x7e);
        if (bad >= 0)
        {
            return $"must be printable ASCII on one line; found U+{(int)value[bad]:X4}.";
        }

        if (value.AsSpan().Trim(' ').IsEmpty)
        {
            return required ? "is required." : "is only spaces; leave it empty to send no header.";
        }

        return value[0] == ' ' || value[^1] == ' ' ? "must not start or end with a space." : null;
    }

    public static bool IsValid(string? value, int maxLength, bool required) => Problem(value, maxLength, required) is null;
}
