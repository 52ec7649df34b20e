using Portal.Core.Workflow;

namespace Portal.Api;

/// <summary>The workflow actions a person may ask for through the API, by their URL name; the portal's own steps are not offered.</summary>
public static class ApiActions
{
    private static readonly Dictionary<string, WorkflowAction> BySlug = new(StringComparer.Ordinal)
    {
        ["submit"] = WorkflowAction.Submit,
        ["withdraw"] = WorkflowAction.Withdraw,
        ["discard-revision"] = WorkflowAction.DiscardRevision,
        ["request-approval"] = WorkflowAction.RequestApproval,
        ["promote"] = WorkflowAction.Promote,
        ["reject"] = WorkflowAction.Reject,
        ["retry"] = WorkflowAction.Retry,
        ["decommission"] = WorkflowAction.RequestDecommission,
        ["cancel-decommission"] = WorkflowAction.CancelDecommission,
        ["approve-decommission"] = WorkflowAction.ApproveDecommission,
        ["finish-retirement"] = WorkflowAction.EndRetirementEarly,
    };

    public static IReadOnlyCollection<string> Names => BySlug.Keys;

    public static bool TryParse(string? slug, out WorkflowAction action) => BySlug.TryGetValue(slug ?? "", out action);

    public static string? Slug(WorkflowAction action) => BySlug.FirstOrDefault(p => p.Value == action).Key;
}
