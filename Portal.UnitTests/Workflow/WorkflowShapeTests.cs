using Portal.Core.Workflow;

namespace Portal.Tests.Workflow;

/// <summary>The table against the arrows of DESIGN.md section 5, and its overall shape.</summary>
public sealed class WorkflowShapeTests
{
    public static TheoryData<RequestState, RequestState> DesignArrows() => new()
    {
        { RequestState.Draft, RequestState.Submitted },
        { RequestState.Submitted, RequestState.TestingDeploying },
        { RequestState.TestingDeploying, RequestState.TestingReady },
        { RequestState.TestingDeploying, RequestState.TestingFailed },
        { RequestState.TestingReady, RequestState.AwaitingApproval },
        { RequestState.AwaitingApproval, RequestState.Approved },
        { RequestState.Approved, RequestState.ProductionDeploying },
        { RequestState.ProductionDeploying, RequestState.Live },
        { RequestState.ProductionDeploying, RequestState.ProductionFailed },
        { RequestState.AwaitingApproval, RequestState.Rejected },
        { RequestState.Live, RequestState.Submitted },
        { RequestState.Rejected, RequestState.Submitted },
        { RequestState.Live, RequestState.DecommissionRequested },
        { RequestState.DecommissionRequested, RequestState.Decommissioning },
        { RequestState.Decommissioning, RequestState.Decommissioned },

        // RFC 8461 section 8.3: an MTA-STS policy serves mode none before its stacks and records go.
        { RequestState.DecommissionRequested, RequestState.RetirementDeploying },
        { RequestState.RetirementDeploying, RequestState.Retiring },
        { RequestState.Retiring, RequestState.Decommissioning },
    };

    [Theory]
    [MemberData(nameof(DesignArrows))]
    public void Every_arrow_of_the_design_is_in_the_table(RequestState from, RequestState to) =>
        Assert.Contains(WorkflowTable.Transitions, t => t.From == from && t.To == to);

    [Fact]
    public void Every_state_is_reachable_from_draft_or_an_adoption()
    {
        // A request starts as a draft, or as a name an admin adopted from what it already serves.
        var reached = new HashSet<RequestState> { RequestState.Draft, RequestState.Adopted };
        var frontier = new Queue<RequestState>(reached);
        while (frontier.TryDequeue(out var state))
        {
            foreach (var t in WorkflowTable.Transitions.Where(t => t.From == state && reached.Add(t.To)))
            {
                frontier.Enqueue(t.To);
            }
        }

        Assert.Equal(Enum.GetValues<RequestState>().Order(), reached.Order());
    }

    [Fact]
    public void Only_withdrawn_and_decommissioned_are_final()
    {
        var final = Enum.GetValues<RequestState>().Where(s => WorkflowTable.Transitions.All(t => t.From != s));
        Assert.Equal([RequestState.Withdrawn, RequestState.Decommissioned], final);
    }

    [Fact]
    public void Every_action_is_used_by_the_table() =>
        Assert.Equal(Enum.GetValues<WorkflowAction>().Order(), WorkflowTable.Transitions.Select(t => t.Action).Distinct().Order());

    [Fact]
    public void Promote_reject_and_decommission_need_a_recent_sign_in()
    {
        var stepUp = WorkflowTable.Transitions.Where(t => t.NeedsRecentSignIn).Select(t => t.Action).Distinct().Order();
        Assert.Equal([WorkflowAction.Promote, WorkflowAction.Reject, WorkflowAction.RequestDecommission, WorkflowAction.ApproveDecommission, WorkflowAction.EndRetirementEarly], stepUp);
    }

    [Fact]
    public void No_state_and_action_pair_is_ambiguous()
    {
        var ambiguous = WorkflowTable.Transitions
            .GroupBy(t => (t.From, t.Action, t.Condition))
            .Where(g => g.Count() > 1)
            .Select(g => g.Key)
            .ToList();
        Assert.Empty(ambiguous);
    }
}
