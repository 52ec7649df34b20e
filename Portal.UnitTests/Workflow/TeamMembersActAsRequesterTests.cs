using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Workflow;

/// <summary>A request that belongs to a team is its members' too: they edit, upload content and withdraw as the requester does.</summary>
public sealed class TeamMembersActAsRequesterTests
{
    private static readonly TimeSpan MaxAuthAge = TimeSpan.FromMinutes(15);
    private static readonly DateTimeOffset Now = TestActors.SignedInAt.AddMinutes(10);

    private static readonly Actor Member = TestActors.Rita with { Teams = new HashSet<string>(StringComparer.Ordinal) { "web" } };
    private static readonly Actor Outsider = TestActors.Rita with { Teams = new HashSet<string>(StringComparer.Ordinal) { "mail" } };

    [Fact]
    public void A_member_who_is_not_the_requester_edits_uploads_content_and_withdraws()
    {
        var request = InTesting("web");

        Assert.True(request.CheckContentUpload(Member).Allowed);
        Assert.True(request.Revise(TestSpecs.Site() with { Csp = "default-src 'none'" }, Member, Now, MaxAuthAge).Allowed);
        Assert.Equal("rita", request.CurrentRevision.LastEditorId);
        Assert.True(request.Apply(WorkflowAction.Withdraw, Member, "moved elsewhere", Now, MaxAuthAge).Allowed);
        Assert.Equal(RequestState.Withdrawn, request.State);
    }

    [Fact]
    public void A_member_of_another_team_is_refused_with_the_team_named()
    {
        var request = InTesting("web");

        var upload = request.CheckContentUpload(Outsider);
        var withdraw = request.Apply(WorkflowAction.Withdraw, Outsider, "mine now", Now, MaxAuthAge);

        Assert.Equal(RefusalCode.NotOwner, upload.Code);
        Assert.Equal("Only the person who made this request, a member of team 'web', or an admin, can upload its content.", upload.Reason);
        Assert.Equal(RefusalCode.NotOwner, withdraw.Code);
        Assert.Equal("Only the person who made this request, a member of team 'web', or an admin, can withdraw.", withdraw.Reason);
    }

    [Fact]
    public void A_request_in_no_team_stays_its_requesters_alone()
    {
        var request = InTesting(team: null);

        Assert.Equal(RefusalCode.NotOwner, request.CheckContentUpload(Member).Code);
        Assert.Equal("Only the person who made this request, or an admin, can upload its content.", request.CheckContentUpload(Member).Reason);
    }

    private static PortalRequest InTesting(string? team)
    {
        var request = PortalRequest.CreateDraft(Guid.NewGuid(), TestSpecs.Site(), TestActors.Alice, Now, team);
        Assert.True(request.Apply(WorkflowAction.Submit, TestActors.Alice, null, Now, MaxAuthAge).Allowed);
        Assert.True(request.Apply(WorkflowAction.StartTestingDeployment, Actor.System, null, Now, MaxAuthAge).Allowed);
        Assert.True(request.Apply(WorkflowAction.CompleteTestingDeployment, Actor.System, null, Now, MaxAuthAge).Allowed);
        return request;
    }
}
