using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Workflow;

/// <summary>
/// Withdrawing, rejecting and decommissioning remove or refuse something: each needs a reason, which the audit trail
/// records trimmed, so the history says why and not only who.
/// </summary>
public sealed class DestructiveActionReasonTests
{
    private static readonly TimeSpan MaxAuthAge = TimeSpan.FromMinutes(15);
    private static readonly DateTimeOffset Now = TestActors.SignedInAt.AddMinutes(5);

    public static TheoryData<WorkflowAction> Destructive =>
        [WorkflowAction.Withdraw, WorkflowAction.Reject, WorkflowAction.RequestDecommission, WorkflowAction.ApproveDecommission];

    [Theory]
    [MemberData(nameof(Destructive))]
    public void Every_transition_of_a_destructive_action_needs_a_reason(WorkflowAction action)
    {
        var transitions = WorkflowTable.Transitions.Where(t => t.Action == action).ToList();

        Assert.NotEmpty(transitions);
        Assert.All(transitions, t => Assert.True(t.NeedsReason, $"{t.From} --{t.Action}-->"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \n ")]
    public void Withdrawing_without_a_reason_is_refused_and_changes_nothing(string? reason)
    {
        var request = PortalRequest.CreateDraft(Guid.NewGuid(), TestSpecs.Site(), TestActors.Alice, Now);

        var decision = request.Apply(WorkflowAction.Withdraw, TestActors.Alice, reason, Now, MaxAuthAge);

        Assert.Equal(RefusalCode.ReasonRequired, decision.Code);
        Assert.Equal("Withdraw needs a reason.", decision.Reason);
        Assert.Equal(RequestState.Draft, request.State);
    }

    [Fact]
    public void The_reason_of_a_withdrawal_is_recorded_trimmed()
    {
        var request = PortalRequest.CreateDraft(Guid.NewGuid(), TestSpecs.Site(), TestActors.Alice, Now);

        var decision = request.Apply(WorkflowAction.Withdraw, TestActors.Alice, "  Moved to the new docs host.\n", Now, MaxAuthAge);

        Assert.True(decision.Allowed, decision.Reason);
        var withdrawn = request.AuditEvents.Single(e => e.Action == nameof(WorkflowAction.Withdraw));
        Assert.Equal("Moved to the new docs host.", withdrawn.Reason);
    }
}
