using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Requests;

/// <summary>
/// Who may restore which revision: the request's owner or an admin (as for editing), an earlier revision the request
/// has, never the current one; the system and people without a role are refused.
/// </summary>
public sealed class RevisionRestoreRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static PortalRequest TwoRevisions()
    {
        var request = PortalRequest.CreateDraft(Guid.NewGuid(), TestSpecs.Site(), TestActors.Alice, Now);
        Assert.True(request.Apply(WorkflowAction.Submit, TestActors.Alice, null, Now, TimeSpan.FromMinutes(15)).Allowed);
        foreach (var action in new[] { WorkflowAction.StartTestingDeployment, WorkflowAction.CompleteTestingDeployment })
        {
            Assert.True(request.Apply(action, Actor.System, null, Now, TimeSpan.FromMinutes(15)).Allowed);
        }

        Assert.True(request.Revise(TestSpecs.Site() with { Csp = "default-src 'none'" }, TestActors.Alice, Now, TimeSpan.FromMinutes(15)).Allowed);
        return request;
    }

    [Fact]
    public void The_owner_and_an_admin_may_restore_an_earlier_revision()
    {
        var request = TwoRevisions();

        Assert.True(request.CheckRevisionRestore(TestActors.Alice, 1).Allowed);
        Assert.True(request.CheckRevisionRestore(TestActors.Dana, 1).Allowed);
    }

    [Fact]
    public void Another_requester_is_refused_as_not_the_owner()
    {
        var refused = TwoRevisions().CheckRevisionRestore(TestActors.Rita, 1);

        Assert.Equal(RefusalCode.NotOwner, refused.Code);
        Assert.Equal("Only the person who made this request, or an admin, can restore its revisions.", refused.Reason);
    }

    [Fact]
    public void The_current_revision_and_one_the_request_never_had_are_refused()
    {
        var request = TwoRevisions();

        Assert.Equal((RefusalCode.Invalid, "Revision 2 is the current revision; there is nothing to restore."),
            (request.CheckRevisionRestore(TestActors.Alice, 2).Code, request.CheckRevisionRestore(TestActors.Alice, 2).Reason));
        Assert.Equal(RefusalCode.NotFound, request.CheckRevisionRestore(TestActors.Alice, 7).Code);
    }

    [Fact]
    public void The_portal_itself_restores_nothing()
    {
        Assert.Equal(RefusalCode.PersonRequired, TwoRevisions().CheckRevisionRestore(Actor.System, 1).Code);
    }
}
