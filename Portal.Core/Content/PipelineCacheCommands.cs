using Portal.Core.Deployments;
using Portal.Core.Requests;

namespace Portal.Core.Content;

/// <summary>
/// The <c>aws s3</c> commands a pipeline runs to publish a built site with the same Cache-Control the portal's uploads
/// set: one <c>aws s3 cp --recursive</c> per cache rule, limited by <c>--exclude '*' --include</c> to the files the rule
/// matches and by <c>--exclude</c> of every earlier rule's pattern (the CLI applies the last matching filter, so an
/// earlier rule wins, as CloudFront's first match does), one for the files no rule matches, then
/// <c>aws s3 sync --delete --size-only</c> to remove what the build no longer has without sending files again (a
/// re-sent file would lose its Cache-Control). CLI filters are relative to the source folder and their <c>*</c>
/// crosses slashes, as in a CloudFront path pattern, so a pattern only loses its leading slash.
/// </summary>
public static class PipelineCacheCommands
{
    /// <param name="sourceFolder">The build output, e.g. <c>./public</c>.</param>
    /// <param name="location">Where the site lives, e.g. <c>s3://acme-portal-content/testing/docs.example.com/</c>.</param>
    public static IReadOnlyList<string> For(IReadOnlyList<CacheRule> rules, string sourceFolder, string location)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentException.ThrowIfNullOrEmpty(sourceFolder);
        ArgumentException.ThrowIfNullOrEmpty(location);
        var target = location.EndsWith('/') ? location : location + "/";
        var copy = $"aws s3 cp {StackDownloads.Quote(sourceFolder)} {StackDownloads.Quote(target)} --recursive";
        var commands = new List<string>();
        for (var i = 0; i < rules.Count; i++)
        {
            var earlier = string.Concat(rules.Take(i).Select(r => " --exclude " + StackDownloads.Quote(Filter(r.PathPattern))));
            commands.Add($"{copy} --exclude '*' --include {StackDownloads.Quote(Filter(rules[i].PathPattern))}{earlier} --cache-control {StackDownloads.Quote(rules[i].CacheControl)}");
        }

        commands.Add(copy + string.Concat(rules.Select(r => " --exclude " + StackDownloads.Quote(Filter(r.PathPattern)))));
        commands.Add($"aws s3 sync {StackDownloads.Quote(sourceFolder)} {StackDownloads.Quote(target)} --delete --size-only");
        return commands;
    }

    /// <summary>A CloudFront path pattern as an <c>aws s3</c> filter relative to the source folder.</summary>
    public static string Filter(string pathPattern)
    {
        ArgumentNullException.ThrowIfNull(pathPattern);
        return pathPattern.TrimStart('/');
    }
}
