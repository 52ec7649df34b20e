using System.Text.Json.Nodes;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Templates;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Infrastructure.CloudFrontFunctionRunner;

namespace Portal.Tests.Templates;

/// <summary>
/// The redirect stack's function, run by node: every request to a redirect name answers 301 to the same path and
/// query on the environment's canonical host, with HSTS, for every method that reaches it.
/// </summary>
public sealed class RedirectFunctionTests
{
    private static RenderedStack RedirectStack(DeploymentEnvironment environment, string spec = "site-example") =>
        RenderMatrix.Render(spec, environment == DeploymentEnvironment.Production ? "production" : "testing", "default")
            .Stacks.First(s => s.Kind == StackKind.Redirect);

    [Theory]
    [InlineData(DeploymentEnvironment.Testing, "test.www.docs.example.com", "https://test.docs.example.com")]
    [InlineData(DeploymentEnvironment.Production, "www.docs.example.com", "https://docs.example.com")]
    public async Task Every_path_answers_301_to_the_canonical_host_with_path_and_query_kept(DeploymentEnvironment environment, string host, string canonical)
    {
        var code = FunctionCode.Of(RedirectStack(environment), "RedirectFunction");
        var events = new[]
        {
            ViewerRequest(host, "/"),
            ViewerRequest(host, "/docs/guide.html", querystring: Query(("a", "1"), ("b", "x%20y"))),
            ViewerRequest(host, "/docs", "HEAD", Query(("tag", "a"), ("tag", "b"), ("flag", ""))),
        };

        var results = await RunAsync(code, events);

        Assert.All(results, r => Assert.Equal(301, r["statusCode"]!.GetValue<int>()));
        Assert.Equal(canonical + "/", Location(results[0]));
        Assert.Equal(canonical + "/docs/guide.html?a=1&b=x%20y", Location(results[1]));
        Assert.Equal(canonical + "/docs?tag=a&tag=b&flag", Location(results[2]));
    }

    [Fact]
    public async Task The_redirect_carries_hsts_as_the_site_asks()
    {
        var withPreload = await RunAsync(FunctionCode.Of(RedirectStack(DeploymentEnvironment.Production), "RedirectFunction"), ViewerRequest("www.docs.example.com", "/"));
        var withoutPreload = await RunAsync(FunctionCode.Of(RedirectStack(DeploymentEnvironment.Production, "site-apex-https-only"), "RedirectFunction"), ViewerRequest("www.example.net", "/"));

        Assert.Equal("max-age=31536000; includeSubDomains; preload", withPreload["headers"]!["strict-transport-security"]!["value"]!.GetValue<string>());
        Assert.Equal("max-age=31536000; includeSubDomains", withoutPreload["headers"]!["strict-transport-security"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_hand_deployable_template_redirects_exactly_as_the_rendered_one()
    {
        foreach (var environment in new[] { DeploymentEnvironment.Testing, DeploymentEnvironment.Production })
        {
            var stack = RedirectStack(environment);
            var events = new[]
            {
                ViewerRequest("any", "/"),
                ViewerRequest("any", "/a/b.html", querystring: Query(("x", "1"), ("x", "2"))),
            };

            var rendered = await RunAsync(FunctionCode.Of(stack, "RedirectFunction"), events);
            var site = (SiteSpec)RenderMatrix.Specs["site-example"];
            var hand = await RunAsync(FunctionCode.FromHandTemplate(StackKind.Redirect, stack, "RedirectFunction",
                new Dictionary<string, string> { ["SiteName"] = site.Host, ["HstsPreload"] = site.HstsPreload ? "true" : "false" }), events);

            Assert.Equal(rendered.Select(r => r.ToJsonString()), hand.Select(r => r.ToJsonString()));
        }
    }

    private static string Location(JsonObject result) => result["headers"]!["location"]!["value"]!.GetValue<string>();
}
