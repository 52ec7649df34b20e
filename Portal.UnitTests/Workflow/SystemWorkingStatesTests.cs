using Portal.Core.Workflow;

namespace Portal.Tests.Workflow;

/// <summary>
/// The states pages watch for a change and the engine works on are exactly those the table lets the system move on from,
/// apart from the template upgrade: the portal may take it from a resting state, which stays resting until then.
/// </summary>
public sealed class SystemWorkingStatesTests
{
    public static TheoryData<RequestState> States() => [.. Enum.GetValues<RequestState>()];

    [Theory]
    [MemberData(nameof(States))]
    public void A_state_is_system_working_exactly_when_the_system_has_a_transition_out_of_it(RequestState state)
    {
        var systemMovesOn = WorkflowTable.Transitions.Any(t => t.From == state && t.Who == ActorRule.System && t.Action != WorkflowAction.UpgradeTemplates);
        Assert.Equal(systemMovesOn, WorkflowRules.IsSystemWorking(state) || WorkflowRules.WaitsForTime(state));
        Assert.False(WorkflowRules.IsSystemWorking(state) && WorkflowRules.WaitsForTime(state));
    }
}
