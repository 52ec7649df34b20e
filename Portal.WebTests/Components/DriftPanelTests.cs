using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.S3.Model;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Portal.Components.Deployments;
using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Infrastructure.Deployments;
using Portal.Tests.Aws;
using Portal.Tests.Deployments;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>
/// A site's bucket policy is replaced outside the portal through S3's own API on the local cloud; "Check drift now" on
/// the request page shows the stack checking, then drifted with the property the template sets and the value it has now.
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
}
