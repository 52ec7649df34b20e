using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Requests;

/// <summary>
/// Who may restore which revision, and when: the request's owner, a team member or an admin (as for editing), an
/// earlier revision the request has, never the current one, and only in a state where the workflow lets a revision be
/// added (not while one is deploying, not once withdrawn); the system and people without a role are refused. The
/// request page's button and the API's restore both ask this rule.
/// </summary>
public sealed class RevisionRestoreRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxAuthAge = TimeSpan.FromMinutes(15);

    private static PortalRequest TwoRevisions()
    {
        var request = PortalRequest.CreateDraft(Guid.NewGuid(), TestSpecs.Site(), TestActors.Alice, Now);
        Assert.True(request.Apply(WorkflowAction.Submit, TestActors.Alice, null, Now, TimeSpan.FromMinutes(15)).Allowed);
        foreach (var action in new[] { WorkflowAction.StartTestingDeployment, WorkflowAction.CompleteTestingDeployment })
        {
            Assert.True(request.Apply(action, Actor.System, null, Now, TimeSpan.FromMinutes(15)).Allowed);
        }

        Assert.True(request.Revise(TestSpecs.Site() with { Csp = "default-src 'none'" }, TestActors.Alice, Now, TimeSpan.FromMinutes(15)).Allowed);
        Deploy(request);
        return request;
    }

    private static void Deploy(PortalRequest request)
    {
        foreach (var action in new[] { WorkflowAction.StartTestingDeployment, WorkflowAction.CompleteTestingDeployment })
        {
            Assert.True(request.Apply(action, Actor.System, null, Now, MaxAuthAge).Allowed);
        }
    }

    [Fact]
    public void The_owner_and_an_admin_may_restore_an_earlier_revision()
    {
        var request = TwoRevisions();

        Assert.True(request.CheckRevisionRestore(TestActors.Alice, 1, Now, MaxAuthAge).Allowed);
        Assert.True(request.CheckRevisionRestore(TestActors.Dana, 1, Now, MaxAuthAge).Allowed);
    }

    [Fact]
    public void Another_requester_is_refused_as_not_the_owner()
    {
        var refused = TwoRevisions().CheckRevisionRestore(TestActors.Rita, 1, Now, MaxAuthAge);

        Assert.Equal(RefusalCode.NotOwner, refused.Code);
        Assert.Equal("Only the person who made this request, or an admin, can restore its revisions.", refused.Reason);
    }

    [Fact]
    public void The_current_revision_and_one_the_request_never_had_are_refused()
    {
        var request = TwoRevisions();

        Assert.Equal((RefusalCode.Invalid, "Revision 2 is the current revision; there is nothing to restore."),
            (request.CheckRevisionRestore(TestActors.Alice, 2, Now, MaxAuthAge).Code, request.CheckRevisionRestore(TestActors.Alice, 2, Now, MaxAuthAge).Reason));
        Assert.Equal(RefusalCode.NotFound, request.CheckRevisionRestore(TestActors.Alice, 7, Now, MaxAuthAge).Code);
    }

    [Fact]
    public void The_portal_itself_restores_nothing()
    {
        Assert.Equal(RefusalCode.PersonRequired, TwoRevisions().CheckRevisionRestore(Actor.System, 1, Now, MaxAuthAge).Code);
    }

    [Fact]
    public void A_withdrawn_request_offers_no_restore()
    {
        var request = TwoRevisions();
        Assert.True(request.Apply(WorkflowAction.Withdraw, TestActors.Alice, "no longer needed", Now, MaxAuthAge).Allowed);

        var refused = request.CheckRevisionRestore(TestActors.Alice, 1, Now, MaxAuthAge);

        Assert.Equal(RefusalCode.NotAllowedInState, refused.Code);
    }

    [Fact]
    public void While_a_revision_waits_for_or_is_in_its_testing_deployment_none_is_restored_and_once_testing_is_ready_one_may_be()
    {
        var request = TwoRevisions();
        Assert.True(request.Revise(TestSpecs.Site() with { Csp = "default-src 'self'" }, TestActors.Alice, Now, MaxAuthAge).Allowed);

        Assert.Equal(RefusalCode.NotAllowedInState, request.CheckRevisionRestore(TestActors.Alice, 1, Now, MaxAuthAge).Code);
        Assert.True(request.Apply(WorkflowAction.StartTestingDeployment, Actor.System, null, Now, MaxAuthAge).Allowed);
        Assert.Equal(RefusalCode.NotAllowedInState, request.CheckRevisionRestore(TestActors.Alice, 1, Now, MaxAuthAge).Code);

        Assert.True(request.Apply(WorkflowAction.CompleteTestingDeployment, Actor.System, null, Now, MaxAuthAge).Allowed);
        Assert.True(request.CheckRevisionRestore(TestActors.Alice, 1, Now, MaxAuthAge).Allowed);
    }
}
