using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Requests;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.Api;

/// <summary>
/// An admin's script lists the requests behind the current template release, starts one upgrade batch for chosen ones
/// (again: nothing doubled) and reads its progress; bad bodies get a field error and start nothing; others are refused.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ApiTemplateUpgradeTests(ApiPortal api)
{
    [Fact]
    public async Task An_admin_lists_requests_behind_starts_a_batch_once_and_reads_each_requests_progress()
    {
        await api.UserAsync("upgrade-admin@example.test", "Ulla Upgrader", PortalRole.Admin);
        using var admin = api.Client(await api.TokenAsync("upgrade-admin@example.test"));
        var ready = await ReadyInTestingAsync("upgrade-ready.example.com");
        var onItsWay = await SubmittedWithStackAsync("upgrade-submitted.example.com");

        var status = await ReadAsync(await admin.GetAsync("/api/v1/template-upgrades"), HttpStatusCode.OK);
        var current = api.Portal.Services.GetRequiredService<Portal.Infrastructure.Deployments.IDeploymentStackSource>().TemplateRelease;
        Assert.Equal(current, status.GetProperty("currentRelease").GetString());
        var behind = status.GetProperty("behind").EnumerateArray().ToDictionary(r => r.GetProperty("requestId").GetGuid());
        Assert.True(behind[ready].GetProperty("upgradable").GetBoolean());
        Assert.Equal("t-earlier", Assert.Single(behind[ready].GetProperty("stacks").EnumerateArray()).GetProperty("release").GetString());
        Assert.False(behind[onItsWay].GetProperty("upgradable").GetBoolean());

        var body = $$"""{"requests":[{"id":"{{ready}}","revision":1},{"id":"{{onItsWay}}","revision":1}]}""";
        var started = await PostAsync(admin, "/api/v1/template-upgrades", JsonBody(body));
        var batch = await ReadAsync(started, HttpStatusCode.Created);
        Assert.Equal($"/api/v1/template-upgrades/{batch.GetProperty("id").GetGuid()}", started.Headers.Location!.OriginalString);
        Assert.Equal(1, batch.GetProperty("started").GetInt32());
        var items = batch.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("requestId").GetGuid());
        Assert.Equal(("queued", 2), (items[ready].GetProperty("step").GetString(), items[ready].GetProperty("revision").GetInt32()));
        Assert.Equal("skipped", items[onItsWay].GetProperty("step").GetString());
        Assert.Equal("It is being deployed already, from the current release.", items[onItsWay].GetProperty("note").GetString());

        var again = await ReadAsync(await PostAsync(admin, "/api/v1/template-upgrades", JsonBody(body)), HttpStatusCode.Created);
        Assert.Equal(0, again.GetProperty("started").GetInt32());
        Assert.Equal(2, (await api.Portal.Services.GetRequiredService<RequestService>().GetAsync(ready))!.Revisions.Count);

        var read = await ReadAsync(await admin.GetAsync($"/api/v1/template-upgrades/{batch.GetProperty("id").GetGuid()}"), HttpStatusCode.OK);
        Assert.Equal("queued", read.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("requestId").GetGuid() == ready).GetProperty("step").GetString());
        var upgrade = (await api.Portal.Services.GetRequiredService<RequestService>().GetAsync(ready))!;
        Assert.StartsWith($"Template upgrade to release {current}, started by Ulla Upgrader", upgrade.AuditEvents.Single(e => e.Action == nameof(WorkflowAction.UpgradeTemplates)).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_body_gets_a_field_error_and_starts_nothing()
    {
        await api.UserAsync("upgrade-admin-2@example.test", "Ugo Upgrader", PortalRole.Admin);
        using var admin = api.Client(await api.TokenAsync("upgrade-admin-2@example.test"));
        var ready = await ReadyInTestingAsync("upgrade-bad-body.example.com");

        await FieldProblemAsync(await PostAsync(admin, "/api/v1/template-upgrades", JsonBody("""{"requests":[]}""")), "requests");
        await FieldProblemAsync(await PostAsync(admin, "/api/v1/template-upgrades", JsonBody($$"""{"requests":[{"id":"{{ready}}","revision":0}]}""")), "requests");
        await FieldProblemAsync(await PostAsync(admin, "/api/v1/template-upgrades", JsonBody($$"""{"all":true,"requests":[{"id":"{{ready}}","revision":1}]}""")), "all");
        await FieldProblemAsync(await PostAsync(admin, "/api/v1/template-upgrades", JsonBody("[1,2")), "$");
        await ProblemAsync(await admin.GetAsync($"/api/v1/template-upgrades/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "not-found");
        Assert.Equal(1, (await api.Portal.Services.GetRequiredService<RequestService>().GetAsync(ready))!.CurrentRevisionNumber);
    }

    [Fact]
    public async Task An_approver_or_a_requester_is_refused()
    {
        await api.UserAsync("upgrade-approver@example.test", "Abe Approver", PortalRole.Approver);
        await api.UserAsync("upgrade-requester@example.test", "Rita Requester", PortalRole.Requester);
        using var approver = api.Client(await api.TokenAsync("upgrade-approver@example.test"));
        using var requester = api.Client(await api.TokenAsync("upgrade-requester@example.test"));
        var ready = await ReadyInTestingAsync("upgrade-refused.example.com");
        var body = $$"""{"requests":[{"id":"{{ready}}","revision":1}]}""";

        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(approver, "/api/v1/template-upgrades", JsonBody(body))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(requester, "/api/v1/template-upgrades", JsonBody(body))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await requester.GetAsync("/api/v1/template-upgrades")).StatusCode);
        Assert.Equal(1, (await api.Portal.Services.GetRequiredService<RequestService>().GetAsync(ready))!.CurrentRevisionNumber);
    }

    /// <summary>A site ready in testing whose testing stack was deployed from an earlier release (the portal here only plans, so the test says where it is).</summary>
    private async Task<Guid> ReadyInTestingAsync(string host)
    {
        var id = await SubmittedWithStackAsync(host);
        var requests = api.Portal.Services.GetRequiredService<RequestService>();
        Assert.True((await requests.ApplyAsync(id, WorkflowAction.CompleteTestingDeployment, Actor.System)).Succeeded);
        return id;
    }

    private async Task<Guid> SubmittedWithStackAsync(string host)
    {
        var requests = api.Portal.Services.GetRequiredService<RequestService>();
        var created = await requests.CreateAsync(TestSpecs.Site(host) with { RedirectFrom = [] }, TestActors.Alice, submit: true);
        Assert.True(created.Succeeded, created.Message);
        Assert.True((await requests.ApplyAsync(created.RequestId, WorkflowAction.StartTestingDeployment, Actor.System)).Succeeded);
        var now = api.Clock.GetUtcNow();
        await using var db = await api.Portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        db.Stacks.Add(new TrackedStack
        {
            Id = Guid.NewGuid(), StackName = StackNaming.Site("portal", DeploymentEnvironment.Testing, host), Region = "us-east-1", Kind = StackKind.Site,
            RequestId = created.RequestId, Environment = DeploymentEnvironment.Testing, Status = "CREATE_COMPLETE", TemplateRelease = "t-earlier",
            NextCheckAt = now.AddDays(1), NextDriftCheckAt = now.AddDays(1),
        });
        await db.SaveChangesAsync();
        return created.RequestId;
    }
}
