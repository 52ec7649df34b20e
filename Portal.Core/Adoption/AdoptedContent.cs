using System.Globalization;
using System.Text.RegularExpressions;
using Portal.Core.Content;

namespace Portal.Core.Adoption;

/// <summary>One object of an adopted site's bucket: its path under the origin path, and its size.</summary>
public sealed record AdoptedObject(string Path, long Size);

/// <summary>Which limit an adopted bucket's objects are beyond.</summary>
public enum AdoptedContentLimit
{
    Empty,
    TooManyFiles,
    TooManyBytes,
    FileTooLarge,
}

/// <summary>
/// The rules of carrying an adopted site's content over into the portal's testing bucket: where the content was (the
/// origin bucket and path recorded when the site was adopted), and whether it fits the limits an upload is held to.
/// </summary>
public static partial class AdoptedContent
{
    /// <summary>
    /// The origin bucket and path an adoption recorded, read back from the audit sentence <see cref="SiteAdoption.Summary"/>
    /// wrote (bucket names hold no '/', so the first '/' starts the origin path); null when the text is not one.
    /// </summary>
    public static OriginBucket? ReadOrigin(string? adoptSummary)
    {
        if (string.IsNullOrEmpty(adoptSummary) || OriginSentence().Match(adoptSummary) is not { Success: true } match)
        {
            return null;
        }

        var prefix = match.Groups["prefix"].Success ? match.Groups["prefix"].Value.Trim('/') : "";
        return new OriginBucket(match.Groups["bucket"].Value, match.Groups["endpoint"].Value == "REST" ? S3OriginEndpoint.Rest : S3OriginEndpoint.Website,
            prefix.Length == 0 ? "" : prefix + "/");
    }

    /// <summary>The source a copied version names: <c>bucket</c>, or <c>bucket/path</c> when the site was served from under a path.</summary>
    public static string Describe(OriginBucket origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        return origin.Prefix.Length == 0 ? origin.Bucket : origin.Bucket + "/" + origin.Prefix.TrimEnd('/');
    }

    /// <summary>
    /// Why the objects cannot be carried over under the limits an uploaded archive is held to (files, expanded bytes,
    /// bytes of one file), or null when they can; <paramref name="listedAll"/> is false when listing stopped past the file limit.
    /// </summary>
    public static (AdoptedContentLimit Limit, string Message)? CheckLimits(IReadOnlyCollection<AdoptedObject> objects, bool listedAll, string source, ContentOptions limits)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(limits);
        if (objects.Count == 0)
        {
            return (AdoptedContentLimit.Empty, $"The adopted bucket {source} holds no objects; there is no content to copy. Upload the site's content instead.");
        }

        if (!listedAll || objects.Count > limits.MaxFiles)
        {
            return (AdoptedContentLimit.TooManyFiles, string.Create(CultureInfo.InvariantCulture,
                $"The adopted bucket {source} holds more than {limits.MaxFiles} objects, the most one content version may have; nothing was copied. Upload the site's content as an archive within the limits instead."));
        }

        var total = objects.Sum(o => o.Size);
        if (total > limits.MaxExpandedBytes)
        {
            return (AdoptedContentLimit.TooManyBytes, $"The adopted bucket {source} holds {ContentOptions.FormatBytes(total)}, more than the {ContentOptions.FormatBytes(limits.MaxExpandedBytes)} one content version may have; nothing was copied.");
        }

        var large = objects.Where(o => o.Size > limits.MaxFileBytes).Select(o => o.Path).Order(StringComparer.Ordinal).ToList();
        return large.Count == 0
            ? null
            : (AdoptedContentLimit.FileTooLarge, $"The adopted bucket {source} holds {large.Count} object(s) larger than {ContentOptions.FormatBytes(limits.MaxFileBytes)}, the most one file may be "
                + $"({string.Join(", ", large.Take(5).Select(p => "'" + p + "'"))}{(large.Count > 5 ? ", ..." : "")}); nothing was copied.");
    }

    [GeneratedRegex(@"origin bucket (?<bucket>[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9])(?:/(?<prefix>\S+))? \((?<endpoint>REST|website) endpoint\)", RegexOptions.CultureInvariant)]
    private static partial Regex OriginSentence();
}
