namespace Portal.Core.Workflow;

/// <summary>One button of a request's page: shown enabled, or disabled with the reason, as the rules decide.</summary>
public sealed record ActionOption(WorkflowAction Action, string Label, bool Enabled, string? WhyNot, bool NeedsReason, bool NeedsStepUp);

/// <summary>
/// Which actions a person sees on a request. The rule: what they may do is enabled; what their role could do but the
/// rules forbid here (separation of duties) is disabled with the reason; what is not theirs to do at all is absent.
/// </summary>
public static class AvailableActions
{
    /// <summary>Actions a person takes from a request's page, in display order. Revise has its own edit page.</summary>
    public static IReadOnlyList<WorkflowAction> PersonActions { get; } =
    [
        WorkflowAction.Submit,
        WorkflowAction.RequestApproval,
        WorkflowAction.Promote,
        WorkflowAction.Reject,
        WorkflowAction.Retry,
        WorkflowAction.DiscardRevision,
        WorkflowAction.Withdraw,
        WorkflowAction.RequestDecommission,
        WorkflowAction.CancelDecommission,
        WorkflowAction.ApproveDecommission,
        WorkflowAction.EndRetirementEarly,
    ];

    /// <summary>Whether the person may start new requests: the Requester role, or Admin, who may act for a requester.</summary>
    public static bool CanCreate(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsIn(PortalRole.Requester) || actor.IsIn(PortalRole.Admin);
    }

    /// <summary>Whether the person may decide on promotions and decommissions: the Approver role, or an approver of a team.</summary>
    public static bool CanApprove(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsIn(PortalRole.Approver) || (!actor.IsSystem && !actor.IsServiceAccount && actor.ApproverTeams.Count > 0);
    }

    /// <summary>
    /// The teams whose waiting requests the approvals list shows <paramref name="actor"/>: null for every request (the
    /// Approver role, admins, and people who approve nothing, who may look but not decide), else only the requests of
    /// the teams they approve for, since those are the only ones they may decide.
    /// </summary>
    public static IReadOnlyCollection<string>? ApprovalListTeams(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsIn(PortalRole.Approver) || actor.IsIn(PortalRole.Admin) || !CanApprove(actor)
            ? null
            : [.. actor.ApproverTeams.Order(StringComparer.Ordinal)];
    }

    public static IReadOnlyList<ActionOption> For(RequestFacts request, Actor actor, DateTimeOffset now, TimeSpan maxAuthAge)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var options = new List<ActionOption>();
        foreach (var action in PersonActions)
        {
            // The reason is asked for after the button is chosen, so it never disables the button.
            var decision = WorkflowRules.Decide(request, action, actor, "(asked when chosen)", now, maxAuthAge);
            var transition = decision.Transition ?? WorkflowTable.From(request.State, action).FirstOrDefault();
            if (transition is null)
            {
                continue;
            }

            var label = WorkflowRules.Describe(action);
            switch (decision.Code)
            {
                case null:
                    options.Add(new(action, label, true, null, transition.NeedsReason, false));
                    break;
                case RefusalCode.StepUpRequired:
                    options.Add(new(action, label, true, "You will be asked to sign in again first.", transition.NeedsReason, true));
                    break;
                case RefusalCode.SeparationOfDuties:
                    options.Add(new(action, label, false, decision.Reason, transition.NeedsReason, false));
                    break;
                default:
                    break;
            }
        }

        return options;
    }
}
