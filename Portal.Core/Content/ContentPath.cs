using System.Globalization;
using System.Text;

namespace Portal.Core.Content;

/// <summary>
/// Which names inside an archive may become a site's files. A file's path becomes an S3 key under the site's prefix
/// and a URL path on the site, so it must stay inside that prefix whatever tool reads it and be reachable by a URL.
/// </summary>
public static class ContentPath
{
    /// <summary>S3's limit on a key, in UTF-8 bytes.</summary>
    public const int MaxKeyBytes = 1024;

    /// <returns>Why the name cannot be a file's path, or null when it can.</returns>
    public static string? Problem(string name, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(name);
        var shown = Show(name);
        if (name.Length == 0)
        {
            return "An entry has an empty name.";
        }

        foreach (var c in name)
        {
            if (c < ' ' || c == '\u007f')
            {
                return $"'{shown}' contains the control character U+{(int)c:X4}.";
            }
        }

        if (name.Contains('\\', StringComparison.Ordinal))
        {
            return $"'{shown}' contains a backslash; paths in a zip use '/', and a backslash can climb out of the site's folder on some systems.";
        }

        if (name[0] == '/')
        {
            return $"'{shown}' is an absolute path; every path must be relative to the site's root.";
        }

        if (name.Length >= 2 && char.IsAsciiLetter(name[0]) && name[1] == ':')
        {
            return $"'{shown}' starts with a drive letter; every path must be relative to the site's root.";
        }

        var segments = name.TrimEnd('/').Split('/');
        foreach (var segment in segments)
        {
            if (segment == "..")
            {
                return $"'{shown}' climbs out of the site's folder with '..'.";
            }

            if (segment is "" or ".")
            {
                return $"'{shown}' has an empty or '.' folder name.";
            }
        }

        if (name.IndexOfAny(['?', '#']) >= 0)
        {
            return $"'{shown}' contains '?' or '#', which no URL path can address.";
        }

        var bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > maxBytes)
        {
            return $"'{Show(name, 80)}' is {bytes.ToString(CultureInfo.InvariantCulture)} bytes long; at most {maxBytes.ToString(CultureInfo.InvariantCulture)} fit in an S3 key under the site's prefix.";
        }

        return null;
    }

    /// <summary>A name as it can be shown safely in a message: control characters escaped, long names cut.</summary>
    public static string Show(string name, int max = 200)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new StringBuilder();
        foreach (var c in name.Length > max ? name[..max] : name)
        {
            builder.Append(c < ' ' || c == '\u007f' ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return name.Length > max ? builder + "…" : builder.ToString();
    }
}
