using System.Net;
using System.Text.Json.Nodes;
using Portal.Core.MtaSts;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Templates;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Infrastructure.CloudFrontFunctionRunner;

namespace Portal.Tests.Templates;

/// <summary>
/// What the MTA-STS stack publishes, judged by an independent MTA-STS client: the rendered stack's TXT record is
/// served by dnsmasq with the domain's MX records, the body that node gets from the rendered CloudFront Function is
/// served by nginx (test CA) as <c>mta-sts.DOMAIN</c>, and Debian's <c>mta-sts-query</c> must read a valid policy with
/// the requested mode, max_age and mx. A changed request renders a new id, which mta-sts-query then picks up.
/// </summary>
public sealed class MtaStsEndToEndTests(PrivateNetworkFixture fixture) : IClassFixture<PrivateNetworkFixture>
{
    private const string Domain = "e2e.test";
    private const string PolicyPath = "/.well-known/mta-sts.txt";

    private static readonly MtaStsSpec Request = new()
    {
        Domain = Domain,
        Mode = MtaStsMode.Enforce,
        MaxAge = 604_800,
        Mx = ["mx1.e2e.test", "*.backup.e2e.test"],
        TlsRptRua = ["mailto:tlsrpt@e2e.test"],
        HostedZoneId = "Z0123456789ABC",
    };

    private PrivateNetwork Network => fixture.Network;

    [Fact]
    public async Task mta_sts_query_reads_the_rendered_policy_and_sees_a_changed_policy_under_its_new_id()
    {
        var address = await Network.AllocateAddressAsync();
        var first = await PublishAsync(Request, address);

        var valid = await Network.QueryMtaStsAsync(Domain);

        Assert.True(valid.Status == MtaStsQueryStatus.Valid, valid.Log);
        Assert.Equal((first.Id, "STSv1", "enforce", 604_800L), (valid.PolicyId, valid.Version, valid.Mode, valid.MaxAge!.Value));
        Assert.Equal(Request.Mx, valid.Mx);
        Assert.Equal(MtaStsQueryStatus.NotChanged, (await Network.QueryMtaStsAsync(Domain, knownPolicyId: first.Id)).Status);

        var changedRequest = Request with { MaxAge = 1_209_600, Mx = [.. Request.Mx, "mx2.e2e.test"] };
        var second = await PublishAsync(changedRequest, address);
        var changed = await Network.QueryMtaStsAsync(Domain, knownPolicyId: first.Id);

        Assert.NotEqual(first.Id, second.Id);
        Assert.True(changed.Status == MtaStsQueryStatus.Valid, changed.Log);
        Assert.Equal((second.Id, "enforce", 1_209_600L), (changed.PolicyId, changed.Mode, changed.MaxAge!.Value));
        Assert.Equal(changedRequest.Mx, changed.Mx);
    }

    [Fact]
    public async Task The_testing_environment_serves_a_testing_policy_that_mta_sts_query_reads()
    {
        var address = await Network.AllocateAddressAsync();
        var published = await PublishAsync(Request, address, DeploymentEnvironment.Testing);

        var result = await Network.QueryMtaStsAsync(Domain);

        Assert.True(result.Status == MtaStsQueryStatus.Valid, result.Log);
        Assert.Equal((published.Id, "testing", 604_800L), (result.PolicyId, result.Mode, result.MaxAge!.Value));
        Assert.Equal(Request.Mx, result.Mx);
    }

    /// <summary>Renders the request, runs its function under node and serves exactly what came out.</summary>
    private async Task<(string Id, string Body)> PublishAsync(MtaStsSpec spec, IPAddress address, DeploymentEnvironment environment = DeploymentEnvironment.Production)
    {
        var result = RenderMatrix.Renderer(RenderMatrix.DefaultSettings).Render(new RenderRequest(RenderMatrix.RequestId, 1, "Alice Requester", spec), environment);
        Assert.True(result.IsSuccess, string.Join("; ", result.Errors.Select(e => e.Field + ": " + e.Message)));
        var stack = result.Stacks.Single();
        var publication = result.MtaSts!;

        var response = await RunAsync(FunctionCode.Of(stack, "PolicyFunction"), ViewerRequest(publication.PolicyHost, PolicyPath));
        Assert.Equal(200, response["statusCode"]!.GetValue<int>());
        var body = response["body"]!["data"]!.GetValue<string>();
        var contentType = response["headers"]!["content-type"]!["value"]!.GetValue<string>();

        // The TXT record exactly as the stack gives it to Route53 (a quoted character-string), unquoted for dnsmasq.
        var template = JsonNode.Parse(stack.TemplateBody)!.AsObject();
        var (resolved, failures) = TemplateEvaluator.Resolve(template, stack.Parameters.ToDictionary(p => p.ParameterKey, p => p.ParameterValue), stack.Region);
        Assert.Empty(failures);
        var record = resolved["Resources"]!["PolicyIdRecord"]!["Properties"]!["ResourceRecords"]![0]!.GetValue<string>().Trim('"');
        Assert.Equal(publication.PolicyIdRecord.Value, record);

        await Network.StartDnsAsync(new DnsZone()
            .Txt("_mta-sts." + Domain, record)
            .Mx(Domain, "mx1.e2e.test", 10)
            .Mx(Domain, "a.backup.e2e.test", 20)
            .A("mta-sts." + Domain, address));
        await Network.StartWebAsync(new WebSite("mta-sts." + Domain, address).File(PolicyPath, body, contentType));
        return (publication.PolicyId, body);
    }
}
