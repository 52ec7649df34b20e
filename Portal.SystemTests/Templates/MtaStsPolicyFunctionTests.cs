using System.Text.Json.Nodes;
using Portal.Core.MtaSts;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Templates;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Infrastructure.CloudFrontFunctionRunner;

namespace Portal.Tests.Templates;

/// <summary>
/// The MTA-STS stack's function, run by node: <c>GET /.well-known/mta-sts.txt</c> answers 200, <c>text/plain</c>,
/// with exactly the policy the RFC 8461 model serializes; every other path and method answers 404. The TXT record
/// the stack writes carries the id of that exact body.
/// </summary>
public sealed class MtaStsPolicyFunctionTests
{
    public static IEnumerable<object[]> Cases() =>
        from spec in new[] { "mta-sts-example", "mta-sts-enforce-no-route53", "mta-sts-none" }
        from environment in new[] { "testing", "production" }
        select new object[] { spec, environment };

    private static (RenderedStack Stack, MtaStsPublication Publication) Render(string spec, string environment)
    {
        var result = RenderMatrix.Render(spec, environment, "default");
        Assert.True(result.IsSuccess);
        return (result.Stacks.Single(), result.MtaSts!);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_well_known_path_serves_exactly_the_policy_as_plain_text(string spec, string environment)
    {
        var (stack, publication) = Render(spec, environment);
        var host = publication.PolicyHost;

        var results = await RunAsync(FunctionCode.Of(stack, "PolicyFunction"),
            [ViewerRequest(host, "/.well-known/mta-sts.txt"), ViewerRequest(host, "/.well-known/mta-sts.txt", "HEAD")]);

        foreach (var response in results)
        {
            Assert.Equal(200, response["statusCode"]!.GetValue<int>());
            Assert.StartsWith("text/plain", response["headers"]!["content-type"]!["value"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal("text", response["body"]!["encoding"]!.GetValue<string>());
            Assert.Equal(publication.PolicyText, response["body"]!["data"]!.GetValue<string>());
            Assert.Equal("max-age=31536000; includeSubDomains; preload", response["headers"]!["strict-transport-security"]!["value"]!.GetValue<string>());
        }

        var parsed = MtaStsPolicyParser.Parse(results[0]["body"]!["data"]!.GetValue<string>());
        var requested = (MtaStsSpec)RenderMatrix.Specs[spec];
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors.Select(e => e.Message)));
        Assert.Equal(MtaStsPublication.ServedMode(requested, RenderMatrix.Environment(environment)), parsed.Value!.Mode);
        Assert.Equal(requested.MaxAge, parsed.Value.MaxAge);
        Assert.Equal(requested.Mx, parsed.Value.Mx);
    }

    [Fact]
    public void Testing_serves_testing_and_production_serves_the_requested_mode()
    {
        Assert.Equal(MtaStsMode.Testing, Render("mta-sts-enforce-no-route53", "testing").Publication.Policy.Mode);
        Assert.Equal(MtaStsMode.Enforce, Render("mta-sts-enforce-no-route53", "production").Publication.Policy.Mode);
        Assert.Equal(MtaStsMode.None, Render("mta-sts-none", "testing").Publication.Policy.Mode);
    }

    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/index.html")]
    [InlineData("GET", "/.well-known/mta-sts.txt/")]
    [InlineData("GET", "/.well-known/MTA-STS.txt")]
    [InlineData("GET", "/.well-known/mta-sts.txt.bak")]
    [InlineData("POST", "/.well-known/mta-sts.txt")]
    [InlineData("PUT", "/.well-known/mta-sts.txt")]
    [InlineData("DELETE", "/.well-known/mta-sts.txt")]
    [InlineData("OPTIONS", "/.well-known/mta-sts.txt")]
    public async Task Any_other_path_or_method_answers_404(string method, string uri)
    {
        var (stack, publication) = Render("mta-sts-example", "production");

        var response = await RunAsync(FunctionCode.Of(stack, "PolicyFunction"), ViewerRequest(publication.PolicyHost, uri, method));

        Assert.Equal(404, response["statusCode"]!.GetValue<int>());
        Assert.DoesNotContain("STSv1", response["body"]!["data"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_stack_announces_the_id_of_the_served_body(string spec, string environment)
    {
        var (stack, publication) = Render(spec, environment);
        var resolved = Resolve(stack);

        Assert.Equal(MtaStsPolicyId.For(MtaStsPolicyParser.Parse(publication.PolicyText).Value!), publication.PolicyId);
        Assert.Equal($"v=STSv1; id={publication.PolicyId}", publication.PolicyIdRecord.Value);
        Assert.Equal($"v=STSv1; id={publication.PolicyId}", resolved["Outputs"]!["PolicyIdRecord"]!.GetValue<string>());
        var records = resolved["Resources"]!.AsObject().Where(r => r.Value!["Type"]!.GetValue<string>() == "AWS::Route53::RecordSet" && r.Value["Properties"]!["Type"]!.GetValue<string>() == "TXT")
            .ToDictionary(r => r.Value!["Properties"]!["Name"]!.GetValue<string>(), r => r.Value!["Properties"]!["ResourceRecords"]!.AsArray().Select(v => v!.GetValue<string>()).ToList());
        if (!publication.RecordsInRoute53)
        {
            Assert.Empty(records);
            return;
        }

        Assert.Equal(["\"" + publication.PolicyIdRecord.Value + "\""], records["_mta-sts." + publication.Domain]);
        if (publication.TlsRptRecord is null)
        {
            Assert.False(records.ContainsKey("_smtp._tls." + publication.Domain));
        }
        else
        {
            Assert.Equal(["\"" + publication.TlsRptRecord.Value + "\""], records[publication.TlsRptRecord.Name]);
            Assert.True(TlsRptRecord.Parse(publication.TlsRptRecord.Value).IsValid);
        }
    }

    [Fact]
    public void The_id_changes_exactly_when_the_policy_changes()
    {
        var renderer = RenderMatrix.Renderer(RenderMatrix.DefaultSettings);
        MtaStsPublication Publish(MtaStsSpec spec, DeploymentEnvironment environment) =>
            renderer.Render(new RenderRequest(RenderMatrix.RequestId, 1, "Alice", spec), environment).MtaSts!;

        var original = Publish(RenderMatrix.ExampleMtaSts, DeploymentEnvironment.Production);
        var again = Publish(RenderMatrix.ExampleMtaSts with { TlsRptRua = ["mailto:other@example.com"] }, DeploymentEnvironment.Production);
        var newMx = Publish(RenderMatrix.ExampleMtaSts with { Mx = ["mx1.example.com", "mx2.example.com"] }, DeploymentEnvironment.Production);
        var newAge = Publish(RenderMatrix.ExampleMtaSts with { MaxAge = 86400 }, DeploymentEnvironment.Production);
        var promoted = Publish(RenderMatrix.ExampleMtaSts with { Mode = MtaStsMode.Enforce }, DeploymentEnvironment.Production);

        Assert.Equal(original.PolicyId, again.PolicyId);
        Assert.Equal(original.PolicyText, again.PolicyText);
        Assert.Equal(4, new[] { original.PolicyId, newMx.PolicyId, newAge.PolicyId, promoted.PolicyId }.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_hand_deployable_template_serves_byte_for_byte_the_same_policy(string spec, string environment)
    {
        var (stack, publication) = Render(spec, environment);
        var events = new[]
        {
            ViewerRequest(publication.PolicyHost, "/.well-known/mta-sts.txt"),
            ViewerRequest(publication.PolicyHost, "/other"),
        };

        var rendered = await RunAsync(FunctionCode.Of(stack, "PolicyFunction"), events);
        var hand = await RunAsync(FunctionCode.FromHandTemplate(StackKind.MtaSts, stack, "PolicyFunction",
            new Dictionary<string, string> { ["PolicyMaxAge"] = publication.Policy.MaxAge.ToString(System.Globalization.CultureInfo.InvariantCulture) }), events);

        Assert.Equal(rendered.Select(r => r.ToJsonString()), hand.Select(r => r.ToJsonString()));
        Assert.Equal(publication.PolicyText, hand[0]["body"]!["data"]!.GetValue<string>());
    }

    private static JsonObject Resolve(RenderedStack stack) =>
        TemplateEvaluator.Resolve(JsonNode.Parse(stack.TemplateBody)!.AsObject(), stack.Parameters.ToDictionary(p => p.ParameterKey, p => p.ParameterValue), stack.Region).Resolved;
}
