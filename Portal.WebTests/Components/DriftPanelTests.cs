using System.Net;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using Amazon.S3.Model;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Portal.Components.Deployments;
using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Infrastructure.Aws;
using Portal.Infrastructure.Deployments;
using Portal.Tests.Aws;
using Portal.Tests.Deployments;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>
/// A site's resources are changed outside the portal through the services' own APIs on the local cloud (a bucket policy
/// through S3, an alias record through Route53); "Check drift now" on the request page shows the stack checking, then
/// drifted with the property the template sets and the value it has now.
/// </summary>
public sealed class DriftPanelTests : IAsyncLifetime
{
    private EngineHarness _h = default!;
    private BunitContext _bunit = default!;

    public async Task InitializeAsync()
    {
        _h = await EngineHarness.StartAsync();
        _bunit = new BunitContext();
        _bunit.Services.AddMudServices();
        _bunit.Services.AddSingleton(_h.Feed);
        _bunit.Services.AddSingleton(_h.Clock);
        _bunit.Services.AddSingleton(new DriftService(new DriftQueries(_h.Db, _h.Clock), _h.Tracker, _h.Feed));
        _bunit.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public async Task DisposeAsync()
    {
        await _bunit.DisposeAsync();
        await _h.DisposeAsync();
    }

    [Fact]
    public async Task A_policy_changed_outside_the_portal_shows_as_drift_with_expected_and_actual_values_after_check_drift_now()
    {
        var id = await _h.SubmitAsync(TestSpecs.Site() with { RedirectFrom = [] });
        await _h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);
        var name = StackNaming.Site("portal", DeploymentEnvironment.Testing, "docs.example.com");
        var tracked = Assert.Single(await _h.QueryAsync(db => db.Stacks.Where(s => s.StackName == name)));
        var bucket = JsonSerializer.Deserialize<Dictionary<string, string>>(tracked.OutputsJson)!["ContentBucketName"];

        var cut = _bunit.Render<DriftPanel>(p => p.Add(x => x.RequestId, id).Add(x => x.Actor, TestActors.Alice));
        Assert.Equal("not-checked", cut.Find($"[data-drift-stack='{name}']").GetAttribute("data-drift-state"));

        // Someone widens the policy by hand: S3's PutBucketPolicy replaces the whole document.
        var policy = JsonNode.Parse(_h.Aws.S3.Policy(bucket)!)!.AsObject();
        Assert.Equal("s3:GetObject", (string?)policy["Statement"]![0]!["Action"]);
        policy["Statement"]![0]!["Action"] = "s3:*";
        using (var clients = new AwsTestClients(_h.Aws))
        {
            await clients.S3.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = bucket, Policy = policy.ToJsonString() });
        }

        cut.Find("[data-drift-check]").Click();
        cut.WaitForAssertion(() => Assert.Equal("checking", cut.Find($"[data-drift-stack='{name}']").GetAttribute("data-drift-state")));

        await _h.RunUntilAsync(async () => (await _h.QueryAsync(db => db.Stacks.Where(s => s.Id == tracked.Id && s.DriftCheckedAt != null && s.DriftDetectionId == null))).Count == 1);

        cut.WaitForAssertion(() =>
        {
            var stack = cut.Find($"[data-drift-stack='{name}']");
            Assert.Equal("drifted", stack.GetAttribute("data-drift-state"));
            Assert.NotNull(cut.Find("[data-drift-resource='ContentBucketPolicy']"));
            var row = cut.Find("[data-drift-property='/PolicyDocument/Statement/0/Action']");
            Assert.Equal("s3:GetObject", row.QuerySelector("[data-expected]")!.TextContent.Trim());
            Assert.Equal("s3:*", row.QuerySelector("[data-actual]")!.TextContent.Trim());
            Assert.Contains("PolicyDocument › Statement › #1 › Action", row.TextContent, StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30));
        Assert.Single(cut.FindAll("[data-drift-property]"));
        Assert.Empty(_h.Aws.Violations);
    }

    [Fact]
    public async Task Another_requester_sees_the_drift_but_no_check_now_button()
    {
        var id = await _h.SubmitAsync(TestSpecs.Site() with { RedirectFrom = [] });
        await _h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);

        var cut = _bunit.Render<DriftPanel>(p => p.Add(x => x.RequestId, id).Add(x => x.Actor, TestActors.Rita));

        Assert.NotEmpty(cut.FindAll("[data-drift-stack]"));
        Assert.Empty(cut.FindAll("[data-drift-check]"));
    }

    [Fact]
    public async Task An_alias_record_changed_through_the_route53_api_shows_as_drift_after_check_drift_now()
    {
        var id = await _h.SubmitAsync(TestSpecs.Site() with { RedirectFrom = [] });
        await _h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);
        var name = StackNaming.Site("portal", DeploymentEnvironment.Testing, "docs.example.com");
        var tracked = Assert.Single(await _h.QueryAsync(db => db.Stacks.Where(s => s.StackName == name)));
        var zone = _h.Aws.Route53.ZoneHolding("test.docs.example.com")!;
        var record = Assert.Single(zone.Records, r => r.Type == "A" && r.Name.TrimEnd('.') == "test.docs.example.com");
        var deployed = record.AliasTarget!.TrimEnd('.');

        var cut = _bunit.Render<DriftPanel>(p => p.Add(x => x.RequestId, id).Add(x => x.Actor, TestActors.Alice));
        Assert.Equal("not-checked", cut.Find($"[data-drift-stack='{name}']").GetAttribute("data-drift-state"));

        // Someone points the name at another distribution by hand, through Route53's API.
        var batch = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <ChangeResourceRecordSetsRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/">
              <ChangeBatch><Changes><Change><Action>UPSERT</Action><ResourceRecordSet>
                <Name>test.docs.example.com.</Name><Type>A</Type>
                <AliasTarget><HostedZoneId>Z2FDTNDATAQYW2</HostedZoneId><DNSName>elsewhere.cloudfront.net</DNSName><EvaluateTargetHealth>false</EvaluateTargetHealth></AliasTarget>
              </ResourceRecordSet></Change></Changes></ChangeBatch>
            </ChangeResourceRecordSetsRequest>
            """;
        using (var clients = new AwsTestClients(_h.Aws))
        {
            var answer = await clients.Pipeline.SendAsync(new AwsHttpRequest("route53", "us-east-1", "ChangeResourceRecordSets", HttpMethod.Post, $"/2013-04-01/hostedzone/{zone.Id}/rrset/")
            {
                Body = Encoding.UTF8.GetBytes(batch),
                ContentType = "text/xml",
            });
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        Assert.Equal("elsewhere.cloudfront.net.", Assert.Single(_h.Aws.Route53.ZoneHolding("test.docs.example.com")!.Records, r => r.Type == "A" && r.Name.TrimEnd('.') == "test.docs.example.com").AliasTarget);

        cut.Find("[data-drift-check]").Click();
        await _h.RunUntilAsync(async () => (await _h.QueryAsync(db => db.Stacks.Where(s => s.Id == tracked.Id && s.DriftCheckedAt != null && s.DriftDetectionId == null))).Count == 1);

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("drifted", cut.Find($"[data-drift-stack='{name}']").GetAttribute("data-drift-state"));
            Assert.NotNull(cut.Find("[data-drift-resource='AliasRecordIPv4']"));
            var row = cut.Find("[data-drift-property='/AliasTarget/DNSName']");
            Assert.Equal(deployed, row.QuerySelector("[data-expected]")!.TextContent.Trim());
            Assert.Equal("elsewhere.cloudfront.net", row.QuerySelector("[data-actual]")!.TextContent.Trim());
        }, TimeSpan.FromSeconds(30));
        Assert.Single(cut.FindAll("[data-drift-property]"));
        var drift = await new DriftQueries(_h.Db, _h.Clock).ForRequestAsync(id);
        Assert.Equal(Portal.Core.Deployments.DriftState.Drifted, DriftStateOf(drift!, name));
        Assert.Empty(_h.Aws.Violations);
    }

    private static Portal.Core.Deployments.DriftState DriftStateOf(RequestDrift drift, string stackName) => drift.Stacks.Single(s => s.StackName == stackName).State;
}
