using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Workflow;

/// <summary>
/// Every state x every action x every kind of actor, with and without a live revision, decided by the rules and
/// checked against what the transition table implies. The rows come from the enums, so a new state or action is
/// covered the moment it exists.
/// </summary>
public sealed class TransitionTableTests
{
    private static readonly DateTimeOffset Now = TestActors.SignedInAt.AddMinutes(5);
    private static readonly TimeSpan MaxAuthAge = TimeSpan.FromMinutes(15);

    public enum ActorKind
    {
        System,
        Owner,
        OtherRequester,
        IndependentApprover,
        ApproverWhoOwns,
        ApproverWhoAskedDecommission,
        Admin,
    }

    public static TheoryData<RequestState, WorkflowAction, ActorKind> EveryCombination()
    {
        var data = new TheoryData<RequestState, WorkflowAction, ActorKind>();
        foreach (var state in Enum.GetValues<RequestState>())
        {
            foreach (var action in Enum.GetValues<WorkflowAction>())
            {
                foreach (var actor in Enum.GetValues<ActorKind>())
                {
                    data.Add(state, action, actor);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryCombination))]
    public void Decision_matches_the_table(RequestState state, WorkflowAction action, ActorKind kind)
    {
        foreach (var (live, retires, retiringUntil) in FactVariants)
        {
            var facts = new RequestFacts(state, OwnerId: "alice", LastEditorId: "alice", HasLiveRevision: live, DecommissionRequestedBy: "erin",
                RetiresPolicyFirst: retires, RetiringUntil: retiringUntil);
            var decision = WorkflowRules.Decide(facts, action, ActorFor(kind), "a reason", Now, MaxAuthAge);
            var (allowed, code) = Expected(state, action, kind, facts);

            Assert.True(allowed == decision.Allowed, $"{state} / {action} / {kind} / {facts}: expected {(allowed ? "allowed" : code.ToString())}, got {(decision.Allowed ? "allowed" : decision.Code + ": " + decision.Reason)}");
            if (allowed)
            {
                Assert.NotNull(decision.Transition);
                Assert.Equal(state, decision.Transition.From);
            }
            else
            {
                Assert.Equal(code, decision.Code);
                Assert.False(string.IsNullOrWhiteSpace(decision.Reason));
            }
        }
    }

    /// <summary>Live or not, retired first (MTA-STS) or removed at once (site), retirement wait over, not over, or not started.</summary>
    private static readonly (bool Live, bool Retires, DateTimeOffset? RetiringUntil)[] FactVariants =
    [
        (false, false, null), (true, false, null), (false, true, null), (true, true, null),
        (true, true, Now.AddMinutes(-1)), (true, true, Now.AddMinutes(1)),
    ];

    private static Actor ActorFor(ActorKind kind) => kind switch
    {
        ActorKind.System => Actor.System,
        ActorKind.Owner => TestActors.Alice,
        ActorKind.OtherRequester => TestActors.Rita,
        ActorKind.IndependentApprover => TestActors.Bob,
        ActorKind.ApproverWhoOwns => Actor.Person("alice", "Alice", TestActors.SignedInAt, PortalRole.Approver, PortalRole.Requester),
        ActorKind.ApproverWhoAskedDecommission => Actor.Person("erin", "Erin", TestActors.SignedInAt, PortalRole.Approver),
        ActorKind.Admin => Actor.Person("dana", "Dana", TestActors.SignedInAt, PortalRole.Admin),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The meaning of each actor rule, written out case by case from DESIGN.md section 2.</summary>
    private static (bool Allowed, RefusalCode? Code) Expected(RequestState state, WorkflowAction action, ActorKind kind, RequestFacts facts)
    {
        var live = facts.HasLiveRevision;
        var rows = WorkflowTable.Transitions.Where(t => t.From == state && t.Action == action).ToList();
        if (rows.Count == 0)
        {
            return (false, RefusalCode.NotAllowedInState);
        }

        var row = rows.FirstOrDefault(t => t.Condition == TransitionCondition.None
            || (t.Condition == TransitionCondition.HasLiveRevision && live)
            || (t.Condition == TransitionCondition.NoLiveRevision && !live)
            || (t.Condition == TransitionCondition.RetiresPolicyFirst && facts.RetiresPolicyFirst)
            || (t.Condition == TransitionCondition.RemovesAtOnce && !facts.RetiresPolicyFirst)
            || (t.Condition == TransitionCondition.RetirementOver && facts.RetiringUntil <= Now));
        if (row is null)
        {
            return (false, RefusalCode.ConditionNotMet);
        }

        var decommission = action == WorkflowAction.ApproveDecommission;
        return (row.Who, kind) switch
        {
            (ActorRule.System, ActorKind.System) => (true, null),
            (ActorRule.System, _) => (false, RefusalCode.RoleRequired),
            (ActorRule.OwnerOrAdmin, ActorKind.Owner or ActorKind.Admin or ActorKind.ApproverWhoOwns) => (true, null),
            (ActorRule.OwnerOrAdmin, ActorKind.OtherRequester) => (false, RefusalCode.NotOwner),
            (ActorRule.OwnerOrAdmin, _) => (false, RefusalCode.RoleRequired),
            (ActorRule.Admin, ActorKind.Admin) => (true, null),
            (ActorRule.Admin, _) => (false, RefusalCode.RoleRequired),
            (ActorRule.IndependentApprover, ActorKind.IndependentApprover) => (true, null),
            (ActorRule.IndependentApprover, ActorKind.ApproverWhoOwns) => decommission ? (true, null) : (false, RefusalCode.SeparationOfDuties),
            (ActorRule.IndependentApprover, ActorKind.ApproverWhoAskedDecommission) => decommission ? (false, RefusalCode.SeparationOfDuties) : (true, null),
            (ActorRule.IndependentApprover, _) => (false, RefusalCode.RoleRequired),
            _ => throw new InvalidOperationException($"No expectation for {row.Who} and {kind}."),
        };
    }
}
