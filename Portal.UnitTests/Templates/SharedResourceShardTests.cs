using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Templates;

/// <summary>
/// Distributions spread over copies of the shared CloudFront resources by a stable hash of their name: the same name
/// always picks the same copy, equal header sets share a headers stack, different ones do not.
/// </summary>
public sealed class SharedResourceShardTests
{
    private static StackRenderer Renderer => RenderMatrix.Renderer(RenderMatrix.DefaultSettings);

    [Fact]
    public void A_name_always_picks_the_same_copy_and_names_spread_over_all_copies()
    {
        Assert.Equal(Shards.Of("docs.example.com", 10), Shards.Of("docs.example.com", 10));
        var picked = Enumerable.Range(0, 200).Select(i => Shards.Of($"site{i}.example.com", 10)).ToList();
        Assert.Equal(Enumerable.Range(0, 10), picked.Distinct().Order());
        Assert.All(picked.GroupBy(p => p), g => Assert.InRange(g.Count(), 5, 40));
    }

    [Fact]
    public void Two_sites_with_the_same_headers_in_the_same_shard_share_a_headers_stack_and_a_changed_header_does_not()
    {
        var hosts = Enumerable.Range(0, 40).Select(i => $"site{i}.example.com").ToList();
        var sameShard = hosts.GroupBy(h => Renderer.HeadersShard(h)).First(g => g.Count() >= 2).Take(2).ToList();

        string HeadersOf(SiteSpec site) => Renderer.Render(new RenderRequest(RenderMatrix.RequestId, 1, "Alice", site), DeploymentEnvironment.Testing)
            .Stacks.Single(s => s.Kind == StackKind.Site).Parameter("HeadersStackName")!;

        var first = HeadersOf(TestSpecs.Site(sameShard[0]) with { RedirectFrom = [] });
        Assert.Equal(first, HeadersOf(TestSpecs.Site(sameShard[1]) with { RedirectFrom = [] }));
        Assert.NotEqual(first, HeadersOf(TestSpecs.Site(sameShard[1]) with { RedirectFrom = [], ReferrerPolicy = "no-referrer" }));
        Assert.StartsWith("portal-headers-", first, StringComparison.Ordinal);
    }

    [Fact]
    public void A_site_environment_uses_the_function_copy_its_served_name_picks()
    {
        var stack = Renderer.Render(new RenderRequest(RenderMatrix.RequestId, 1, "Alice", TestSpecs.Site("docs.example.com")), DeploymentEnvironment.Testing)
            .Stacks.Single(s => s.Kind == StackKind.Site);

        var shard = Shards.Of("test.docs.example.com", RenderMatrix.DefaultSettings.DefaultDocumentFunctionShards);
        Assert.Equal(shard == 0 ? "portal-default-document" : $"portal-default-document-{shard + 1}", stack.Parameter("DefaultDocumentFunctionName"));
    }

    [Fact]
    public void Shard_settings_out_of_range_or_a_function_name_too_long_for_its_copies_are_refused()
    {
        Assert.Contains((RenderMatrix.DefaultSettings with { HeadersShards = 0 }).Validate(), e => e.Field == "Stacks:HeadersShards");
        Assert.Contains((RenderMatrix.DefaultSettings with { DefaultDocumentFunctionShards = 21 }).Validate(), e => e.Field == "Stacks:DefaultDocumentFunctionShards");
        Assert.Contains((RenderMatrix.DefaultSettings with { DefaultDocumentFunctionName = new string('f', 62) }).Validate(), e => e.Field == "Stacks:DefaultDocumentFunctionName");
        Assert.Empty((RenderMatrix.DefaultSettings with { DefaultDocumentFunctionName = new string('f', 62), DefaultDocumentFunctionShards = 1 }).Validate());
    }
}
