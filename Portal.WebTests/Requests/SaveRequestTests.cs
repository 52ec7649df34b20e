using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Approvals;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Infrastructure.Requests;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Requests;

/// <summary>What a request form saves, as one use case: create, edit a draft (and submit it), or add a revision.</summary>
public sealed class SaveRequestTests
{
    [Fact]
    public async Task A_new_request_is_created_as_a_draft_or_submitted()
    {
        var service = await ServiceAsync();

        var draft = await service.SaveAsync(new SaveRequestCommand(null, null, TestSpecs.Site("a.example.com"), Submit: false), TestActors.Alice);
        var submitted = await service.SaveAsync(new SaveRequestCommand(null, null, TestSpecs.Site("b.example.com"), Submit: true), TestActors.Alice);

        Assert.Equal(RequestState.Draft, draft.State);
        Assert.Equal(RequestState.Submitted, submitted.State);
    }

    [Fact]
    public async Task A_draft_edited_and_submitted_is_stored_with_both_steps_in_the_trail()
    {
        var service = await ServiceAsync();
        var id = (await service.CreateAsync(TestSpecs.Site(), TestActors.Alice, submit: false)).RequestId;
        var draft = (await service.GetAsync(id))!;
        var edited = TestSpecs.Site() with { Csp = "default-src 'self'; img-src 'self' data:" };

        var result = await service.SaveAsync(new SaveRequestCommand(id, draft.Version, edited, Submit: true), TestActors.Alice);

        Assert.True(result.Succeeded, result.Message);
        var stored = (await service.GetAsync(id))!;
        Assert.Equal(RequestState.Submitted, stored.State);
        Assert.Equal(edited.Csp, ((SiteSpec)stored.CurrentRevision.Spec).Csp);
        Assert.Equal(["Create", "EditDraft", "Submit"], stored.AuditEvents.Select(e => e.Action));
        Assert.Single(stored.Revisions);
    }

    [Fact]
    public async Task A_draft_saved_without_submitting_stays_a_draft()
    {
        var service = await ServiceAsync();
        var id = (await service.CreateAsync(TestSpecs.Site(), TestActors.Alice, submit: false)).RequestId;

        var result = await service.SaveAsync(new SaveRequestCommand(id, null, TestSpecs.Site() with { ViewerProtocol = ViewerProtocol.HttpsOnly }, Submit: false), TestActors.Alice);

        Assert.Equal(RequestState.Draft, result.State);
        Assert.Equal(["Create", "EditDraft"], (await service.GetAsync(id))!.AuditEvents.Select(e => e.Action));
    }

    [Fact]
    public async Task A_save_over_a_version_the_person_did_not_see_changes_nothing()
    {
        var service = await ServiceAsync();
        var id = (await service.CreateAsync(TestSpecs.Site(), TestActors.Alice, submit: false)).RequestId;
        var seen = (await service.GetAsync(id))!.Version;
        await service.EditDraftAsync(id, TestSpecs.Site() with { ViewerProtocol = ViewerProtocol.HttpsOnly }, TestActors.Alice);

        var result = await service.SaveAsync(new SaveRequestCommand(id, seen, TestSpecs.Site(), Submit: true), TestActors.Alice);

        Assert.False(result.Succeeded);
        Assert.Equal(RefusalCode.Conflict, result.Code);
        var stored = (await service.GetAsync(id))!;
        Assert.Equal(RequestState.Draft, stored.State);
        Assert.Equal(ViewerProtocol.HttpsOnly, ((SiteSpec)stored.CurrentRevision.Spec).ViewerProtocol);
    }

    [Fact]
    public async Task A_request_past_draft_gets_a_new_submitted_revision()
    {
        var service = await ServiceAsync();
        var id = (await service.CreateAsync(TestSpecs.Site(), TestActors.Alice, submit: true)).RequestId;
        await service.ApplyAsync(id, WorkflowAction.StartTestingDeployment, Actor.System);
        await service.ApplyAsync(id, WorkflowAction.FailTestingDeployment, Actor.System, "The certificate was not validated.");

        var result = await service.SaveAsync(new SaveRequestCommand(id, null, TestSpecs.Site() with { ViewerProtocol = ViewerProtocol.HttpsOnly }, Submit: true), TestActors.Alice);

        Assert.True(result.Succeeded, result.Message);
        var stored = (await service.GetAsync(id))!;
        Assert.Equal(2, stored.CurrentRevisionNumber);
        Assert.Equal(RequestState.Submitted, stored.State);
    }

    [Fact]
    public async Task A_missing_request_is_reported_as_not_found()
    {
        var service = await ServiceAsync();

        var result = await service.SaveAsync(new SaveRequestCommand(Guid.NewGuid(), null, TestSpecs.Site(), Submit: true), TestActors.Alice);

        Assert.Equal(RefusalCode.NotFound, result.Code);
    }

    private static async Task<RequestService> ServiceAsync() =>
        new(await TestDatabases.SqliteAsync(), new FakeTimeProvider(TestActors.SignedInAt), Options.Create(new ApprovalOptions()));
}
