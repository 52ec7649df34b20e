using System.Text.Json.Nodes;
using Portal.LocalCloud.Edge;
using Portal.LocalCloud.Resources;
using Portal.Tests.Templates;

namespace Portal.Tests.LocalCloud.Edge;

/// <summary>
/// The portal's own CloudFront Functions, taken from rendered stacks, run on the Jint runtime as CloudFront runs
/// them: the default document function maps directories to index.html and redirects a path without its slash, the
/// MTA-STS function answers the policy; a function that throws, loops, compiles strings or returns nonsense fails.
/// </summary>
public sealed class CloudFrontFunctionRuntimeTests
{
    private const string Runtime = "cloudfront-js-2.0";

    private static readonly CloudFrontFunctionRuntime Jint = new(TimeSpan.FromSeconds(5));

    private static readonly EdgeDistribution Distribution = EdgeDistribution.From(new LiveResource("s", "Distribution", EdgeDistribution.ResourceType, "E1",
        new JsonObject(), new Dictionary<string, string> { ["DomainName"] = "d111111abcdef8.cloudfront.net" }));

    private static JsonObject Event(string host, string path, string query = "", string method = "GET") => ViewerRequestEvent.Build(
        new EdgeRequest(true, host, method, path, query, [new("Host", host)], "198.51.100.11"), Distribution, "r1");

    private static string DefaultDocumentCode() =>
        DeployedStacks.Code(DeployedStacks.ExampleSite().Single(s => s.Kind == Portal.Core.Templates.StackKind.Shared), "DefaultDocumentFunction");

    [Theory]
    [InlineData("/", "/index.html")]
    [InlineData("/guide/", "/guide/index.html")]
    [InlineData("/style.css", "/style.css")]
    [InlineData("/guide/page.html", "/guide/page.html")]
    public void The_default_document_function_passes_the_request_on_with_index_html_for_a_directory(string path, string uri)
    {
        var outcome = Jint.Run(DefaultDocumentCode(), Runtime, Event("test.docs.example.com", path));

        Assert.Null(outcome.Error);
        Assert.Null(outcome.Response);
        Assert.Equal(uri, outcome.Request!["uri"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/guide", "", "/guide/")]
    [InlineData("/guide", "v=2&flag", "/guide/?v=2&flag")]
    [InlineData("//evil.example/x", "", "/evil.example/x/")]
    public void The_default_document_function_redirects_a_directory_without_its_slash(string path, string query, string location)
    {
        var outcome = Jint.Run(DefaultDocumentCode(), Runtime, Event("test.docs.example.com", path, query));

        Assert.Equal(301, outcome.Response!["statusCode"]!.GetValue<int>());
        Assert.Equal(location, outcome.Response["headers"]!["location"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void The_mta_sts_function_serves_the_policy_and_404_elsewhere()
    {
        var rendered = RenderMatrix.Render("mta-sts-example", "production", "default");
        var code = DeployedStacks.Code(rendered.Stacks.Single(), "PolicyFunction");

        var policy = Jint.Run(code, Runtime, Event("mta-sts.example.com", "/.well-known/mta-sts.txt"));
        var other = Jint.Run(code, Runtime, Event("mta-sts.example.com", "/index.html"));

        Assert.Equal(200, policy.Response!["statusCode"]!.GetValue<int>());
        Assert.Equal(rendered.MtaSts!.PolicyText, policy.Response["body"]!["data"]!.GetValue<string>());
        Assert.StartsWith("text/plain", policy.Response["headers"]!["content-type"]!["value"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(404, other.Response!["statusCode"]!.GetValue<int>());
    }

    [Fact]
    public void Runtime_two_syntax_runs_const_let_arrows_templates_and_async()
    {
        const string code = """
            const suffix = 'index.html';
            async function handler(event) {
              let request = event.request;
              const add = (uri) => `${uri}${suffix}`;
              request.uri = add(request.uri);
              request.headers['x-squared'] = { value: String(3 ** 2) };
              return request;
            }
            """;

        var outcome = Jint.Run(code, Runtime, Event("a.example", "/"));

        Assert.Equal("/index.html", outcome.Request!["uri"]!.GetValue<string>());
        Assert.Equal("9", outcome.Request["headers"]!["x-squared"]!["value"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("function handler(event) { throw new Error('boom'); }")]
    [InlineData("function handler(event) { while (true) {} }")]
    [InlineData("function handler(event) { return handler(event); }")]
    [InlineData("function handler(event) { return eval('event.request'); }")]
    [InlineData("function handler(event) { return new Function('return 1')(); }")]
    [InlineData("function handler(event) { return 42; }")]
    [InlineData("function handler(event) { return { statusCode: 'fine' }; }")]
    [InlineData("function handler(event) { event.request.uri = 'no-slash'; return event.request; }")]
    [InlineData("function handler(event) { return fetch('http://192.0.2.1/'); }")]
    [InlineData("function handler(event) { return require('http'); }")]
    [InlineData("var notAHandler = 1;")]
    [InlineData("function handler(event) {")]
    public void A_function_that_fails_or_breaks_a_limit_fails(string code)
    {
        var outcome = new CloudFrontFunctionRuntime(TimeSpan.FromMilliseconds(200)).Run(code, Runtime, Event("a.example", "/"));

        Assert.True(outcome.Failed);
        Assert.Null(outcome.Request);
        Assert.Null(outcome.Response);
    }

    [Fact]
    public void An_unknown_runtime_fails() =>
        Assert.True(Jint.Run("function handler(e) { return e.request; }", "nodejs22.x", Event("a.example", "/")).Failed);
}
