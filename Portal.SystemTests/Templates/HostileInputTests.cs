using System.Text.Json.Nodes;
using CsCheck;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Templates;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Infrastructure.CloudFrontFunctionRunner;

namespace Portal.Tests.Templates;

/// <summary>
/// Hostile text in every free-text field of a request: quotes, line breaks, <c>${...}</c>, <c>&lt;/script&gt;</c>,
/// backslashes, YAML and JSON syntax, very long and non-ASCII strings. Each is either refused with a message naming
/// the field, or rendered so that the templates still pass the resource schemas and the value arrives exactly as
/// given, never as syntax.
/// </summary>
public sealed class HostileInputTests
{
    private const int Iterations = 150;

    private static readonly string[] Fragments =
    [
        "\"", "'", "\\", "\\\"", "\n", "\r\n", "\u2028", "\u0000", "\t", "${AWS::StackName}", "${!Literal}", "${PolicyText}",
        "</script><script>alert(1)</script>", "*/", "//", "`", "{\"Ref\":\"AWS::AccountId\"}", "!Ref x", ": ", "- ", "# ", "&anchor",
        "*alias", "|", ">", "%", "{{", "}}", "[", "]", "é", "日本語", "\U0001F600", "\uD800", "default-src 'self'", "max-age=60",
        "docs.example.com", "xn--bcher-kva", ".", "-", "*.", "mailto:", "https://", ";", ",", "=", " ", new string('a', 300),
    ];

    private static readonly Gen<string> Hostile = Gen.Frequency(
        (6, Gen.OneOf(Fragments).Array[1, 6].Select(string.Concat)),
        (2, Gen.String[0, 80]),
        (1, Gen.OneOf(Fragments).Array[40, 120].Select(string.Concat)));

    private static readonly StackRenderer Renderer = RenderMatrix.Renderer(RenderMatrix.DefaultSettings);

    private static readonly SiteSpec Site = new()
    {
        Host = "docs.example.com",
        HostedZoneId = "Z0123456789ABC",
        HostedZoneName = "example.com",
        RedirectFrom = ["www.docs.example.com"],
        CacheRules = [new("/assets/*", "max-age=600")],
    };

    public static IEnumerable<object[]> SiteFields() =>
        new[] { "host", "hostedZoneId", "hostedZoneName", "csp", "referrerPolicy", "permissionsPolicy", "redirectFrom[0]", "cacheRules[0].pathPattern", "cacheRules[0].cacheControl", "deployRole.repository", "deployRole.branch" }
            .Select(f => new object[] { f });

    [Theory]
    [MemberData(nameof(SiteFields))]
    public void Hostile_text_in_a_site_field_is_refused_naming_it_or_rendered_exactly(string field)
    {
        Hostile.Sample(text =>
        {
            var spec = WithField(Site, field, text);
            foreach (var environment in new[] { DeploymentEnvironment.Testing, DeploymentEnvironment.Production })
            {
                var result = Renderer.Render(new RenderRequest(RenderMatrix.RequestId, 1, "Alice", spec), environment);
                if (!result.IsSuccess)
                {
                    AssertRefusedNaming(result, field);
                    continue;
                }

                foreach (var stack in result.Stacks)
                {
                    RenderedTemplatesMatchResourceSchemasTests.AssertValid(stack);
                }

                AssertArrivesExactly(result, field, text);
            }
        }, iter: Iterations, threads: 1);
    }

    public static IEnumerable<object[]> MtaStsFields() =>
        new[] { "domain", "mx[0]", "tlsRptRua[0]", "hostedZoneId", "hostedZoneName" }.Select(f => new object[] { f });

    [Theory]
    [MemberData(nameof(MtaStsFields))]
    public async Task Hostile_text_in_an_mta_sts_field_is_refused_naming_it_or_served_exactly(string field)
    {
        var accepted = new List<(RenderedStack Stack, MtaStsPublication Publication)>();
        Hostile.Sample(text =>
        {
            var spec = WithField(RenderMatrix.ExampleMtaSts, field, text);
            var result = Renderer.Render(new RenderRequest(RenderMatrix.RequestId, 1, "Alice", spec), DeploymentEnvironment.Production);
            if (!result.IsSuccess)
            {
                AssertRefusedNaming(result, field);
                return;
            }

            var stack = Assert.Single(result.Stacks);
            RenderedTemplatesMatchResourceSchemasTests.AssertValid(stack);
            lock (accepted)
            {
                accepted.Add((stack, result.MtaSts!));
            }
        }, iter: Iterations, threads: 1);

        // Whatever got through is served exactly as the RFC model serializes it (node is slow: a sample of them).
        foreach (var (stack, publication) in accepted.Take(10))
        {
            var response = await RunAsync(FunctionCode.Of(stack, "PolicyFunction"), ViewerRequest(publication.PolicyHost, "/.well-known/mta-sts.txt"));
            Assert.Equal(publication.PolicyText, response["body"]!["data"]!.GetValue<string>());
            Assert.Equal(publication.Policy, Portal.Core.MtaSts.MtaStsPolicyParser.Parse(publication.PolicyText).Value);
        }
    }

    [Fact]
    public void Hostile_text_as_the_requester_becomes_a_valid_tag()
    {
        Hostile.Sample(text =>
        {
            var result = Renderer.Render(new RenderRequest(RenderMatrix.RequestId, 1, text, Site), DeploymentEnvironment.Testing);
            Assert.True(result.IsSuccess);
            var tag = result.Stacks[0].Tags.Single(t => t.Key == StackTags.Requester).Value;
            Assert.True(StackTags.IsValidValue(tag), tag);
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public async Task Accepted_unusual_values_leave_the_redirect_function_exact()
    {
        // The most unusual values the rules accept: a punycode label, hyphens, digits, the longest testing name.
        var longLabel = new string('a', 63);
        var hosts = new[]
        {
            "xn--bcher-kva.example.com",
            "a-b--c.example.com",
            "0.example.com",
            $"{longLabel}.{longLabel}.{longLabel}.{new string('b', 36)}.example.com",
        };

        foreach (var host in hosts)
        {
            var spec = Site with { Host = host, RedirectFrom = [("r." + host).Length <= 248 ? "r." + host : "r.example.com"] };
            var result = Renderer.Render(new RenderRequest(RenderMatrix.RequestId, 1, "Alice", spec), DeploymentEnvironment.Testing);
            Assert.True(result.IsSuccess, string.Join("; ", result.Errors.Select(e => e.Field + ": " + e.Message)));
            var redirect = result.Stacks.Single(s => s.Kind == StackKind.Redirect);
            var response = await RunAsync(FunctionCode.Of(redirect, "RedirectFunction"), ViewerRequest("x", "/p\"'</script>", querystring: Query(("q", "${x}"))));
            Assert.Equal($"https://test.{host}/p\"'</script>?q=${{x}}", response["headers"]!["location"]!["value"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Accepted_unusual_mta_sts_values_are_served_exactly()
    {
        var spec = RenderMatrix.ExampleMtaSts with
        {
            Domain = "xn--bcher-kva.example",
            HostedZoneName = "xn--bcher-kva.example",
            Mx = ["*.xn--bcher-kva.example", "a-b--c.mx.example.net", "0.example.org", new string('m', 63) + ".example.com"],
            TlsRptRua = ["mailto:tls+rpt@xn--bcher-kva.example", "https://reports.example.com/tlsrpt%2Ca?x=1&y=%22"],
        };

        var result = Renderer.Render(new RenderRequest(RenderMatrix.RequestId, 1, "Alice", spec), DeploymentEnvironment.Production);

        Assert.True(result.IsSuccess, string.Join("; ", result.Errors.Select(e => e.Field + ": " + e.Message)));
        RenderedTemplatesMatchResourceSchemasTests.AssertValid(result.Stacks[0]);
        var response = await RunAsync(FunctionCode.Of(result.Stacks[0], "PolicyFunction"), ViewerRequest(result.MtaSts!.PolicyHost, "/.well-known/mta-sts.txt"));
        Assert.Equal(result.MtaSts.PolicyText, response["body"]!["data"]!.GetValue<string>());
        Assert.Equal(spec.Mx, Portal.Core.MtaSts.MtaStsPolicyParser.Parse(response["body"]!["data"]!.GetValue<string>()).Value!.Mx);
        Assert.Equal("v=TLSRPTv1; rua=" + string.Join(",", spec.TlsRptRua), result.MtaSts.TlsRptRecord!.Value);
    }

    internal static void AssertRefusedNaming(RenderResult result, string field)
    {
        Assert.NotEmpty(result.Errors);
        Assert.Empty(result.Stacks);
        Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));

        // A zone name that is well formed but does not contain the host is reported on the host it fails to contain.
        var baseName = field.Split('[', '.')[0];
        string[] named = baseName == "hostedZoneName" ? [baseName, "host", "domain", "redirectFrom"] : [baseName];
        Assert.Contains(result.Errors, e => named.Any(n => e.Field.StartsWith(n, StringComparison.Ordinal)));
    }

    private static SiteSpec WithField(SiteSpec site, string field, string text) => field switch
    {
        "host" => site with { Host = text },
        "hostedZoneId" => site with { HostedZoneId = text },
        "hostedZoneName" => site with { HostedZoneName = text },
        "csp" => site with { Csp = text },
        "referrerPolicy" => site with { ReferrerPolicy = text },
        "permissionsPolicy" => site with { PermissionsPolicy = text },
        "redirectFrom[0]" => site with { RedirectFrom = [text] },
        "cacheRules[0].pathPattern" => site with { CacheRules = [new(text, "max-age=600")] },
        "cacheRules[0].cacheControl" => site with { CacheRules = [new("/assets/*", text)] },
        "deployRole.repository" => site with { DeployRole = new(text, "main") },
        "deployRole.branch" => site with { DeployRole = new("acme/docs-site", text) },
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    private static MtaStsSpec WithField(MtaStsSpec spec, string field, string text) => field switch
    {
        "domain" => spec with { Domain = text },
        "mx[0]" => spec with { Mx = [text, "mx2.example.com"] },
        "tlsRptRua[0]" => spec with { TlsRptRua = [text] },
        "hostedZoneId" => spec with { HostedZoneId = text },
        "hostedZoneName" => spec with { HostedZoneName = text },
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    private static void AssertArrivesExactly(RenderResult result, string field, string text)
    {
        var site = result.Stacks.Single(s => s.Kind == StackKind.Site);
        var template = JsonNode.Parse(site.TemplateBody)!.AsObject();
        var (resolved, _) = TemplateEvaluator.Resolve(template, site.Parameters.ToDictionary(p => p.ParameterKey, p => p.ParameterValue), site.Region);
        var policies = resolved["Resources"]!.AsObject()
            .Where(r => r.Value!["Type"]!.GetValue<string>() == "AWS::CloudFront::ResponseHeadersPolicy")
            .Select(r => r.Value!["Properties"]!["ResponseHeadersPolicyConfig"]!)
            .ToList();
        switch (field)
        {
            case "csp":
                // The header is the CSP model's canonical form of what was typed.
                var canonical = Portal.Core.Headers.ContentSecurityPolicy.Parse(text).Policy!.ToHeaderValue();
                Assert.All(policies, p => Assert.Equal(canonical, p["SecurityHeadersConfig"]!["ContentSecurityPolicy"]!["ContentSecurityPolicy"]!.GetValue<string>()));
                break;
            case "permissionsPolicy":
                // An empty Permissions-Policy sends no header at all.
                Assert.All(policies, p => Assert.Equal(text.Length == 0 ? null : text, CustomHeader(p, "Permissions-Policy")));
                break;
            case "cacheRules[0].cacheControl" or "cacheRules[0].pathPattern":
                // Cache rules become each object's Cache-Control metadata at upload: no stack carries them.
                Assert.All(policies, p => Assert.Null(CustomHeader(p, "Cache-Control")));
                Assert.Null(resolved["Resources"]!["Distribution"]!["Properties"]!["DistributionConfig"]!["CacheBehaviors"]);
                break;
            case "deployRole.repository" or "deployRole.branch" when site.Environment == DeploymentEnvironment.Testing:
                var trust = resolved["Resources"]!["DeployRole"]!["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]![0]!["Condition"]!["StringEquals"]!;
                var role = field == "deployRole.repository" ? new GitHubDeployRole(text, "main") : new GitHubDeployRole("acme/docs-site", text);
                Assert.Equal($"repo:{role.Repository}:ref:refs/heads/{role.Branch}", trust["token.actions.githubusercontent.com:sub"]!.GetValue<string>());
                break;
            case "referrerPolicy":
                Assert.All(policies, p => Assert.Equal(text, p["SecurityHeadersConfig"]!["ReferrerPolicy"]!["ReferrerPolicy"]!.GetValue<string>()));
                break;
            default:
                // Host names and zone ids are parameters checked by the template's own patterns.
                Assert.Contains(site.Parameters, p => p.ParameterValue == text);
                break;
        }
    }

    private static string? CustomHeader(JsonNode policy, string name) =>
        (policy["CustomHeadersConfig"]?["Items"] as JsonArray ?? [])
            .FirstOrDefault(i => i!["Header"]!.GetValue<string>() == name)?["Value"]?.GetValue<string>();
}
