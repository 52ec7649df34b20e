using System.Security.Claims;
using Portal.Core.Identity;
using Portal.Core.Workflow;

namespace Portal.Tests.Workflow;

/// <summary>
/// A service account is a pipeline, not a person: whatever state a request is in and whatever roles its token claims,
/// approving, rejecting and decommissioning are refused as a person's decision; requester work is allowed.
/// </summary>
public sealed class ServiceAccountDecisionsTests
{
    private static readonly TimeSpan MaxAuthAge = TimeSpan.FromMinutes(15);
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Even one that somehow holds every role: the rule is about being a person, not about the role.</summary>
    private static readonly Actor Pipeline = new("svc-1", "Release pipeline (service account)",
        new HashSet<PortalRole> { PortalRole.Requester, PortalRole.Approver, PortalRole.Admin }, Now, IsServiceAccount: true);

    public static TheoryData<WorkflowAction, RequestState> PersonDecisions() => new()
    {
        { WorkflowAction.Promote, RequestState.AwaitingApproval },
        { WorkflowAction.Promote, RequestState.Submitted },
        { WorkflowAction.Reject, RequestState.AwaitingApproval },
        { WorkflowAction.RequestDecommission, RequestState.Live },
        { WorkflowAction.ApproveDecommission, RequestState.DecommissionRequested },
        { WorkflowAction.EndRetirementEarly, RequestState.Retiring },
    };

    [Theory]
    [MemberData(nameof(PersonDecisions))]
    public void Approving_rejecting_and_decommissioning_are_refused_in_any_state(WorkflowAction action, RequestState state)
    {
        var request = new RequestFacts(state, "someone-else", "someone-else", HasLiveRevision: state == RequestState.Live, DecommissionRequestedBy: "someone-else");

        var decision = WorkflowRules.Decide(request, action, Pipeline, "a reason", Now, MaxAuthAge);

        Assert.Equal((false, RefusalCode.PersonRequired), (decision.Allowed, decision.Code));
        Assert.EndsWith("is a decision for a person who signed in with MFA; a service account can never approve, reject or decommission.", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WorkflowAction.Submit, RequestState.Draft)]
    [InlineData(WorkflowAction.Withdraw, RequestState.Submitted)]
    [InlineData(WorkflowAction.RequestApproval, RequestState.TestingReady)]
    public void Its_own_requester_work_is_allowed(WorkflowAction action, RequestState state)
    {
        var own = new RequestFacts(state, Pipeline.Id, Pipeline.Id, HasLiveRevision: false, DecommissionRequestedBy: null);

        Assert.True(WorkflowRules.Decide(own, action, Actor.ServiceAccount(Pipeline.Id, Pipeline.DisplayName), "the pipeline says why", Now, MaxAuthAge).Allowed);
    }

    [Fact]
    public void A_service_account_principal_becomes_a_requester_only_actor_without_a_sign_in_time()
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(PortalClaimTypes.Subject, "svc-1"), new Claim(PortalClaimTypes.Name, "Release pipeline"),
            new Claim(PortalClaimTypes.Role, "Approver"), new Claim(PortalClaimTypes.Role, "Admin"),
            new Claim(PortalClaimTypes.AuthTime, "1764849600"), new Claim(PortalClaimTypes.ServiceAccount, "true"),
        ], "Bearer", PortalClaimTypes.Name, PortalClaimTypes.Role));

        var actor = ActorFactory.FromPrincipal(principal)!;

        Assert.True(actor.IsServiceAccount);
        Assert.Null(actor.AuthenticatedAt);
        Assert.Equal([PortalRole.Requester], actor.Roles);
    }
}
