using System.Text.Json.Nodes;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Templates;

/// <summary>
/// What one account holds with CloudFront's default quotas: computed from rendered stacks, shown in the README, and
/// checked on a render of 200 sites and 20 mail domains whose shared resources stay within every quota.
/// </summary>
public sealed class AccountCapacityTests
{
    private static readonly PortalStackSettings Settings = RenderMatrix.DefaultSettings;

    [Fact]
    public void The_readme_capacity_table_is_what_the_renderer_computes()
    {
        var table = AccountCapacity.MarkdownTable(AccountCapacity.Compute(RenderMatrix.Renderer(Settings), Settings));
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");

        Assert.Contains(table, readme, StringComparison.Ordinal);
    }

    [Fact]
    public void Sites_without_a_redirect_are_limited_first_by_the_distributions_of_the_account()
    {
        var rows = AccountCapacity.Compute(RenderMatrix.Renderer(Settings), Settings);

        var distributions = rows.Single(r => r.Quota == "Distributions per AWS account");
        Assert.Equal(250, distributions.Sites);
        Assert.All(rows, r => Assert.True(r.Sites is null || r.Sites >= distributions.Sites, r.Quota));
        Assert.Equal(125, distributions.SitesWithRedirect);
    }

    [Fact]
    public void Two_hundred_sites_and_twenty_mail_domains_keep_every_shared_resource_within_its_quota()
    {
        var renderer = RenderMatrix.Renderer(Settings);
        string[] csps = ["default-src 'self'", "default-src 'self'; img-src *", "default-src 'none'; script-src 'self'", "default-src 'self'; frame-ancestors 'none'"];
        var stacks = new List<RenderedStack>();
        var headers = new Dictionary<string, RenderedStack>(StringComparer.Ordinal);
        for (var i = 0; i < 200; i++)
        {
            var site = TestSpecs.Site($"site{i:000}.example.com") with
            {
                RedirectFrom = i % 7 == 0 ? [$"www.site{i:000}.example.com"] : [],
                Csp = i % 20 == 3 ? csps[i / 20 % csps.Length] : SiteSpec.DefaultCsp,
            };
            foreach (var environment in new[] { DeploymentEnvironment.Testing, DeploymentEnvironment.Production })
            {
                var result = renderer.Render(new RenderRequest(RenderMatrix.RequestId, 1, "Alice", site), environment);
                Assert.True(result.IsSuccess, string.Join("; ", result.Errors));
                stacks.AddRange(result.Stacks);
                result.HeadersStacks.ToList().ForEach(h => headers.TryAdd(h.StackName, h));
            }
        }

        for (var i = 0; i < 20; i++)
        {
            var result = renderer.Render(new RenderRequest(RenderMatrix.RequestId, 1, "Alice", TestSpecs.MtaSts() with { Domain = $"mail{i:00}.example.org", HostedZoneId = null }), DeploymentEnvironment.Production);
            Assert.True(result.IsSuccess, string.Join("; ", result.Errors));
            stacks.AddRange(result.Stacks);
            result.HeadersStacks.ToList().ForEach(h => headers.TryAdd(h.StackName, h));
        }

        var shared = renderer.RenderShared();
        int Count(RenderedStack stack, string type) => JsonNode.Parse(stack.TemplateBody)!["Resources"]!.AsObject().Count(r => r.Value!["Type"]!.GetValue<string>() == type);

        var distributions = stacks.Sum(s => Count(s, "AWS::CloudFront::Distribution"));
        var functions = stacks.Append(shared).Sum(s => Count(s, "AWS::CloudFront::Function"));
        var policies = headers.Values.Concat(stacks).Sum(s => Count(s, "AWS::CloudFront::ResponseHeadersPolicy"));
        var accessControls = headers.Values.Concat(stacks).Sum(s => Count(s, "AWS::CloudFront::OriginAccessControl"));
        Assert.InRange(distributions, 400, AccountCapacity.DistributionsPerAccount);
        Assert.InRange(functions, 1, AccountCapacity.FunctionsPerAccount);
        Assert.InRange(policies, 1, AccountCapacity.ResponseHeadersPoliciesPerAccount);
        Assert.InRange(accessControls, 1, AccountCapacity.OriginAccessControlsPerAccount);

        // Each shared policy and access control (a headers stack) and each default-document copy serves at most 100.
        Assert.All(stacks.GroupBy(s => s.Parameter("HeadersStackName")), g => Assert.InRange(g.Count(), 1, AccountCapacity.DistributionsPerShared));
        Assert.All(stacks.Where(s => s.Parameter("DefaultDocumentFunctionName") is not null).GroupBy(s => s.Parameter("DefaultDocumentFunctionName")),
            g => Assert.InRange(g.Count(), 1, AccountCapacity.DistributionsPerShared));
        Assert.True(headers.Count > Settings.HeadersShards, "custom header sets make headers stacks of their own");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Portal.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Portal.slnx not found above the test's folder.");
    }
}
