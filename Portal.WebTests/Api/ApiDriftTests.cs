using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Infrastructure.Persistence;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.Api;

/// <summary>
/// A pipeline reads each stack's drift with the differing properties, and asks for a check now; only the request's
/// owner, an approver or an admin may ask, whatever the caller's token says it may call.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ApiDriftTests(ApiPortal api)
{
    private const string DriftedJson = """
        [{"logicalId":"ContentBucketPolicy","resourceType":"AWS::S3::BucketPolicy","physicalId":"bucket","status":"MODIFIED",
          "differences":[{"path":"/PolicyDocument/Statement/0/Action","expected":"\"s3:GetObject\"","actual":"\"s3:*\"","difference":"NOT_EQUAL"}]}]
        """;

    private async Task<Guid> DeployedSiteAsync(HttpClient owner, string host)
    {
        var id = Id(await ReadAsync(await PostAsync(owner, "/api/v1/requests", JsonBody(TestSpecs.Site(host))), HttpStatusCode.Created));
        var now = api.Clock.GetUtcNow();
        await using var db = await api.Portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        db.Stacks.Add(new TrackedStack
        {
            Id = Guid.NewGuid(),
            StackName = "portal-site-testing-" + host.Replace('.', '-'), Region = "us-east-1", Kind = StackKind.Site, RequestId = id,
            Environment = DeploymentEnvironment.Testing, Status = "CREATE_COMPLETE", NextCheckAt = now.AddDays(1),
            DriftStatus = "DRIFTED", DriftCheckedAt = now.AddHours(-2), NextDriftCheckAt = now.AddHours(20), DriftedResourcesJson = DriftedJson,
        });
        db.Stacks.Add(new TrackedStack
        {
            Id = Guid.NewGuid(),
            StackName = "portal-site-production-" + host.Replace('.', '-'), Region = "us-east-1", Kind = StackKind.Site, RequestId = id,
            Environment = DeploymentEnvironment.Production, Status = "CREATE_COMPLETE", NextCheckAt = now.AddDays(1), NextDriftCheckAt = now.AddHours(20),
        });
        await db.SaveChangesAsync();
        return id;
    }

    [Fact]
    public async Task Each_stack_reads_with_its_state_last_check_and_differing_properties()
    {
        await api.UserAsync("drift-owner@example.test", "Dora Drift", PortalRole.Requester);
        await api.UserAsync("drift-reader@example.test", "Rex Reader", PortalRole.Requester);
        using var owner = api.Client(await api.TokenAsync("drift-owner@example.test"));
        using var reader = api.Client(await api.TokenAsync("drift-reader@example.test"));
        var id = await DeployedSiteAsync(owner, "drift-read.example.com");

        var drift = await ReadAsync(await reader.GetAsync($"/api/v1/requests/{id}/drift"), HttpStatusCode.OK);

        Assert.Equal(1, drift.GetProperty("drifted").GetInt32());
        var stacks = drift.GetProperty("stacks").EnumerateArray().ToList();
        Assert.Equal(["testing", "production"], stacks.Select(s => s.GetProperty("environment").GetString()));
        Assert.Equal(["drifted", "not-checked"], stacks.Select(s => s.GetProperty("state").GetString()));
        Assert.StartsWith("Drifted · last checked ", stacks[0].GetProperty("summary").GetString(), StringComparison.Ordinal);
        var difference = Assert.Single(Assert.Single(stacks[0].GetProperty("resources").EnumerateArray()).GetProperty("differences").EnumerateArray());
        Assert.Equal(("/PolicyDocument/Statement/0/Action", "\"s3:GetObject\"", "\"s3:*\"", "NOT_EQUAL"),
            (difference.GetProperty("path").GetString(), difference.GetProperty("expectedValue").GetString(), difference.GetProperty("actualValue").GetString(),
                difference.GetProperty("differenceType").GetString()));
        Assert.True(!stacks[1].TryGetProperty("lastCheckedAt", out var never) || never.ValueKind == System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public async Task The_request_itself_carries_each_stacks_drift_state()
    {
        await api.UserAsync("drift-summary@example.test", "Sam Summary", PortalRole.Requester);
        using var owner = api.Client(await api.TokenAsync("drift-summary@example.test"));
        var id = await DeployedSiteAsync(owner, "drift-summary.example.com");

        var request = await ReadAsync(await owner.GetAsync($"/api/v1/requests/{id}"), HttpStatusCode.OK);

        var drift = request.GetProperty("drift");
        Assert.Equal(1, drift.GetProperty("drifted").GetInt32());
        Assert.Equal($"/api/v1/requests/{id}/drift", drift.GetProperty("details").GetString());
        var stacks = drift.GetProperty("stacks").EnumerateArray().ToList();
        Assert.Equal([("portal-site-testing-drift-summary-example-com", "testing", "drifted", 1), ("portal-site-production-drift-summary-example-com", "production", "not-checked", 0)],
            stacks.Select(s => (s.GetProperty("stackName").GetString(), s.GetProperty("environment").GetString(), s.GetProperty("state").GetString(), s.GetProperty("driftedResources").GetInt32())));
        Assert.Equal(System.Text.Json.JsonValueKind.String, stacks[0].GetProperty("lastCheckedAt").ValueKind);
    }

    [Fact]
    public async Task The_owner_and_an_approver_may_check_now_and_another_requester_may_not()
    {
        await api.UserAsync("drift-check-owner@example.test", "Olga Owner", PortalRole.Requester);
        await api.UserAsync("drift-check-other@example.test", "Otto Other", PortalRole.Requester);
        await api.UserAsync("drift-check-approver@example.test", "Ada Approver", PortalRole.Approver);
        using var owner = api.Client(await api.TokenAsync("drift-check-owner@example.test"));
        using var other = api.Client(await api.TokenAsync("drift-check-other@example.test"));
        using var approver = api.Client(await api.TokenAsync("drift-check-approver@example.test"));
        var id = await DeployedSiteAsync(owner, "drift-check.example.com");

        await ProblemAsync(await PostAsync(other, $"/api/v1/requests/{id}/drift-checks", null), HttpStatusCode.Forbidden, "role-required");
        Assert.Equal(["drifted", "not-checked"], (await ReadAsync(await owner.GetAsync($"/api/v1/requests/{id}/drift"), HttpStatusCode.OK))
            .GetProperty("stacks").EnumerateArray().Select(s => s.GetProperty("state").GetString()));

        using var accepted = await PostAsync(approver, $"/api/v1/requests/{id}/drift-checks", null);
        Assert.Equal($"/api/v1/requests/{id}/drift", accepted.Headers.Location?.OriginalString);
        var checking = await ReadAsync(accepted, HttpStatusCode.Accepted);
        Assert.All(checking.GetProperty("stacks").EnumerateArray(), s => Assert.Equal("checking", s.GetProperty("state").GetString()));

        await ReadAsync(await PostAsync(owner, $"/api/v1/requests/{id}/drift-checks", null), HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task A_request_with_nothing_deployed_has_nothing_to_check_and_an_unknown_one_is_not_found()
    {
        await api.UserAsync("drift-draft@example.test", "Dan Draft", PortalRole.Requester);
        using var owner = api.Client(await api.TokenAsync("drift-draft@example.test"));
        var id = Id(await ReadAsync(await PostAsync(owner, "/api/v1/requests", JsonBody(TestSpecs.Site("drift-draft.example.com"))), HttpStatusCode.Created));

        Assert.Empty((await ReadAsync(await owner.GetAsync($"/api/v1/requests/{id}/drift"), HttpStatusCode.OK)).GetProperty("stacks").EnumerateArray());
        await ProblemAsync(await PostAsync(owner, $"/api/v1/requests/{id}/drift-checks", null), HttpStatusCode.Conflict, "not-allowed-in-state");
        await ProblemAsync(await owner.GetAsync($"/api/v1/requests/{Guid.NewGuid()}/drift"), HttpStatusCode.NotFound, "not-found");
        await ProblemAsync(await PostAsync(owner, $"/api/v1/requests/{Guid.NewGuid()}/drift-checks", null), HttpStatusCode.NotFound, "not-found");
    }
}
