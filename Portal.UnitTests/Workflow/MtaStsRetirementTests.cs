using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Workflow;

/// <summary>
/// Decommissioning an MTA-STS policy as RFC 8461 section 8.3 asks: mode none with a new id first, kept until every earlier
/// policy has expired from senders' caches, then removal; a site is removed at once.
/// </summary>
public sealed class MtaStsRetirementTests
{
    private static readonly TimeSpan MaxAuthAge = TimeSpan.FromMinutes(15);
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static Actor Alice(DateTimeOffset at) => Actor.Person("alice", "Alice Requester", at, PortalRole.Requester);

    private static Actor Bob(DateTimeOffset at) => Actor.Person("bob", "Bob Approver", at, PortalRole.Approver);

    private static Actor Dana(DateTimeOffset at) => Actor.Person("dana", "Dana Admin", at, PortalRole.Admin);

    private static void Do(PortalRequest request, WorkflowAction action, Actor actor, DateTimeOffset at, string? reason = null)
    {
        var decision = request.Apply(action, actor, reason, at, MaxAuthAge);
        Assert.True(decision.Allowed, $"{action}: {decision.Reason}");
    }

    /// <summary>A request taken through testing and production, each deployment ten minutes long, starting at <paramref name="start"/>.</summary>
    private static PortalRequest Live(RequestSpec spec, DateTimeOffset start)
    {
        var request = PortalRequest.CreateDraft(Guid.NewGuid(), spec, Alice(start), start);
        Do(request, WorkflowAction.Submit, Alice(start), start);
        DeployThrough(request, start);
        return request;
    }

    private static void DeployThrough(PortalRequest request, DateTimeOffset start)
    {
        Do(request, WorkflowAction.StartTestingDeployment, Actor.System, start.AddMinutes(1));
        Do(request, WorkflowAction.CompleteTestingDeployment, Actor.System, start.AddMinutes(10));
        Do(request, WorkflowAction.RequestApproval, Alice(start), start.AddMinutes(11));
        Do(request, WorkflowAction.Promote, Bob(start.AddMinutes(12)), start.AddMinutes(12));
        Do(request, WorkflowAction.StartProductionDeployment, Actor.System, start.AddMinutes(13));
        Do(request, WorkflowAction.CompleteProductionDeployment, Actor.System, start.AddMinutes(20));
    }

    private static void Retire(PortalRequest request, DateTimeOffset at, DateTimeOffset served)
    {
        Do(request, WorkflowAction.RequestDecommission, Alice(at), at, "No longer needed");
        Do(request, WorkflowAction.ApproveDecommission, Bob(at), at, "No longer needed");
        Do(request, WorkflowAction.CompleteRetirementDeployment, Actor.System, served);
    }

    [Fact]
    public void Approving_the_decommission_of_a_policy_adds_a_mode_none_revision_with_a_new_id_and_deploys_it_first()
    {
        var request = Live(TestSpecs.MtaSts(), T0);
        var liveId = MtaStsPublication.Create((MtaStsSpec)request.CurrentRevision.Spec, DeploymentEnvironment.Production).Publication!.PolicyId;
        Do(request, WorkflowAction.RequestDecommission, Alice(T0.AddDays(1)), T0.AddDays(1), "No longer needed");

        Do(request, WorkflowAction.ApproveDecommission, Bob(T0.AddDays(1)), T0.AddDays(1), "No longer needed");

        Assert.Equal(RequestState.RetirementDeploying, request.State);
        Assert.Equal((2, 1), (request.CurrentRevisionNumber, request.LiveRevisionNumber!.Value));
        var none = (MtaStsSpec)request.CurrentRevision.Spec;
        Assert.Equal((MtaStsMode.None, PolicyRetirement.NoneMaxAge), (none.Mode, none.MaxAge));
        Assert.Empty(none.Mx);
        Assert.Equal(TestSpecs.MtaSts().TlsRptRua, none.TlsRptRua);
        var published = MtaStsPublication.Create(none, DeploymentEnvironment.Production).Publication!;
        Assert.Equal("version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n", published.PolicyText);
        Assert.NotEqual(liveId, published.PolicyId);
        Assert.True(WorkflowRules.IsSystemWorking(request.State));
    }

    [Fact]
    public void A_site_is_removed_at_once_without_a_new_revision()
    {
        var request = Live(TestSpecs.Site(), T0);
        Do(request, WorkflowAction.RequestDecommission, Alice(T0.AddDays(1)), T0.AddDays(1), "No longer needed");

        Do(request, WorkflowAction.ApproveDecommission, Bob(T0.AddDays(1)), T0.AddDays(1), "No longer needed");

        Assert.Equal((RequestState.Decommissioning, 1), (request.State, request.CurrentRevisionNumber));
        Assert.Null(request.RetiringUntil);
    }

    [Fact]
    public void The_policy_retires_for_the_old_max_age_after_mode_none_is_served_and_only_then_goes()
    {
        var request = Live(TestSpecs.MtaSts() with { MaxAge = 604800 }, T0);
        var served = T0.AddDays(30).AddMinutes(7);
        Retire(request, T0.AddDays(30), served);

        Assert.Equal(RequestState.Retiring, request.State);
        Assert.Equal(served.AddDays(7), request.RetiringUntil);

        var early = request.Apply(WorkflowAction.EndRetirement, Actor.System, null, served.AddDays(7).AddSeconds(-1), MaxAuthAge);
        Assert.Equal(RefusalCode.ConditionNotMet, early.Code);
        Assert.Equal($"The policy is retiring until {served.AddDays(7):yyyy-MM-dd HH:mm} UTC: senders may still hold an earlier policy until then.", early.Reason);
        Assert.Equal(RequestState.Retiring, request.State);

        Do(request, WorkflowAction.EndRetirement, Actor.System, served.AddDays(7));
        Assert.Equal(RequestState.Decommissioning, request.State);
        Assert.Null(request.RetiringUntil);
    }

    [Fact]
    public void An_earlier_policy_with_a_longer_max_age_holds_the_removal_until_it_expires_too()
    {
        // A year-long policy replaced on day 10 by a one-week policy: senders may hold the year-long one until day 10 + 1 year.
        var request = Live(TestSpecs.MtaSts() with { MaxAge = MtaStsSpec.MaxMaxAge }, T0);
        Assert.True(request.Revise(TestSpecs.MtaSts() with { MaxAge = 604800 }, Alice(T0.AddDays(10)), T0.AddDays(10), MaxAuthAge).Allowed);
        DeployThrough(request, T0.AddDays(10));
        var testingOfRevision2 = T0.AddDays(10).AddMinutes(10);

        Retire(request, T0.AddDays(20), T0.AddDays(20).AddMinutes(5));

        Assert.Equal(testingOfRevision2 + TimeSpan.FromSeconds(MtaStsSpec.MaxMaxAge), request.RetiringUntil);
    }

    [Fact]
    public void An_earlier_policy_that_has_long_expired_does_not_hold_the_removal()
    {
        // A one-day policy replaced a month before the retirement by a one-week policy: only the week counts.
        var request = Live(TestSpecs.MtaSts() with { MaxAge = 86400 }, T0);
        Assert.True(request.Revise(TestSpecs.MtaSts() with { MaxAge = 604800, Mode = MtaStsMode.Testing }, Alice(T0.AddDays(1)), T0.AddDays(1), MaxAuthAge).Allowed);
        DeployThrough(request, T0.AddDays(1));
        var served = T0.AddDays(40);

        Retire(request, T0.AddDays(39), served);

        Assert.Equal(served.AddDays(7), request.RetiringUntil);
    }

    [Fact]
    public void A_policy_that_was_already_mode_none_is_kept_only_as_long_as_the_policies_before_it()
    {
        var request = Live(TestSpecs.MtaSts() with { MaxAge = 604800 }, T0);
        Assert.True(request.Revise(TestSpecs.MtaSts() with { Mode = MtaStsMode.None, Mx = [], MaxAge = 86400 }, Alice(T0.AddDays(1)), T0.AddDays(1), MaxAuthAge).Allowed);
        DeployThrough(request, T0.AddDays(1));
        var replaced = T0.AddDays(1).AddMinutes(10);

        Retire(request, T0.AddDays(3), T0.AddDays(3).AddMinutes(5));

        Assert.Equal(replaced.AddDays(7), request.RetiringUntil);
    }

    [Fact]
    public void Only_an_admin_who_signed_in_recently_and_gives_a_reason_finishes_a_retirement_early()
    {
        var request = Live(TestSpecs.MtaSts(), T0);
        var at = T0.AddDays(2);
        Retire(request, T0.AddDays(1), at);

        Assert.Equal(RefusalCode.RoleRequired, request.Apply(WorkflowAction.EndRetirementEarly, Alice(at), "now", at, MaxAuthAge).Code);
        Assert.Equal(RefusalCode.RoleRequired, request.Apply(WorkflowAction.EndRetirementEarly, Actor.System, "now", at, MaxAuthAge).Code);
        Assert.Equal(RefusalCode.ReasonRequired, request.Apply(WorkflowAction.EndRetirementEarly, Dana(at), null, at, MaxAuthAge).Code);
        Assert.Equal(RefusalCode.StepUpRequired, request.Apply(WorkflowAction.EndRetirementEarly, Dana(at.AddHours(-1)), "now", at, MaxAuthAge).Code);

        Do(request, WorkflowAction.EndRetirementEarly, Dana(at), at, "The mail domain is gone; no sender delivers to it any more.");

        Assert.Equal(RequestState.Decommissioning, request.State);
        Assert.Equal("The mail domain is gone; no sender delivers to it any more.", request.AuditEvents[^1].Reason);
    }

    [Fact]
    public void A_failed_retirement_is_retried_by_an_admin_and_deploys_mode_none_again()
    {
        var request = Live(TestSpecs.MtaSts(), T0);
        Do(request, WorkflowAction.RequestDecommission, Alice(T0.AddDays(1)), T0.AddDays(1), "No longer needed");
        Do(request, WorkflowAction.ApproveDecommission, Bob(T0.AddDays(1)), T0.AddDays(1), "No longer needed");
        Do(request, WorkflowAction.FailRetirementDeployment, Actor.System, T0.AddDays(1).AddMinutes(5), "Throttled");

        Assert.Equal((RequestState.RetirementFailed, "Throttled"), (request.State, request.FailureMessage));
        Assert.Null(request.RetiringUntil);
        Do(request, WorkflowAction.Retry, Dana(T0.AddDays(1)), T0.AddDays(1).AddMinutes(6));

        Assert.Equal((RequestState.RetirementDeploying, 2), (request.State, request.CurrentRevisionNumber));
    }
}
