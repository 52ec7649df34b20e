using Portal.Core.Requests;
using Portal.Core.Workflow;

namespace Portal.Core.Upgrades;

/// <summary>Where one request of an upgrade batch is, read from the request itself.</summary>
public enum UpgradeStep
{
    Skipped,
    Queued,
    Testing,
    TestingReady,
    TestingFailed,
    AwaitingApproval,
    Rejected,
    DeployingProduction,
    Live,
    Failed,

    /// <summary>A person made a newer revision (or discarded the upgrade): their change carries the current release instead.</summary>
    Superseded,

    /// <summary>The request was withdrawn or removed.</summary>
    Removed,
}

/// <summary>A stack of a request and the release it was last deployed from (null: before releases were recorded).</summary>
public sealed record StackRelease(string StackName, DeploymentEnvironment? Environment, string? Release);

/// <summary>
/// The rules of fleet-wide template upgrades: which requests an upgrade revision may be started for, and how far each
/// upgrade is. Pure, so the page, the API and the engine agree.
/// </summary>
public static class TemplateUpgradeRules
{
    /// <summary>States where the stacks rest: anywhere else the request's next deployment renders the current release anyway.</summary>
    public static bool IsResting(RequestState state) => state is RequestState.Live or RequestState.TestingReady;

    /// <summary>Whether a stack is behind <paramref name="current"/> (unknown counts as behind: it predates release records).</summary>
    public static bool IsBehind(StackRelease stack, string current)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return stack.Release != current;
    }

    /// <summary>
    /// Null when an upgrade revision would bring stacks to <paramref name="current"/>; otherwise the sentence saying why
    /// not (nothing behind, or the request is on its way and its next deployment renders the current release).
    /// </summary>
    public static string? WhyNotUpgradable(RequestState state, IReadOnlyCollection<StackRelease> stacks, string current)
    {
        ArgumentNullException.ThrowIfNull(stacks);
        var behind = stacks.Where(s => IsBehind(s, current)).ToList();
        if (behind.Count == 0)
        {
            return "Its stacks already run the current release.";
        }

        return state switch
        {
            RequestState.Live => null,

            // Production holds the live revision and gets the current release when the pending revision is promoted.
            RequestState.TestingReady when behind.Any(s => s.Environment != DeploymentEnvironment.Production) => null,
            RequestState.TestingReady or RequestState.AwaitingApproval or RequestState.Approved or RequestState.ProductionDeploying
                => "Production gets the current release when the pending revision is promoted.",
            RequestState.Submitted or RequestState.TestingDeploying => "It is being deployed already, from the current release.",
            RequestState.TestingFailed or RequestState.ProductionFailed or RequestState.Rejected
                => "Its last deployment did not finish: a retry or a new revision deploys the current release.",
            _ => $"It is {WorkflowRules.Label(state).ToLowerInvariant()}; only live requests or requests ready in testing are upgraded.",
        };
    }

    /// <summary>How far the upgrade revision <paramref name="revisionNumber"/> of a request is.</summary>
    public static UpgradeStep Progress(int? revisionNumber, RequestState state, int currentRevisionNumber, int? liveRevisionNumber)
    {
        if (revisionNumber is not { } upgrade)
        {
            return UpgradeStep.Skipped;
        }

        if (state is RequestState.Withdrawn or RequestState.Decommissioned)
        {
            return UpgradeStep.Removed;
        }

        if (liveRevisionNumber >= upgrade)
        {
            // Live at the upgrade, or at a later revision, which renders the release too.
            return UpgradeStep.Live;
        }

        if (currentRevisionNumber != upgrade)
        {
            return UpgradeStep.Superseded;
        }

        return state switch
        {
            RequestState.Submitted => UpgradeStep.Queued,
            RequestState.TestingDeploying => UpgradeStep.Testing,
            RequestState.TestingReady => UpgradeStep.TestingReady,
            RequestState.TestingFailed => UpgradeStep.TestingFailed,
            RequestState.AwaitingApproval => UpgradeStep.AwaitingApproval,
            RequestState.Rejected => UpgradeStep.Rejected,
            RequestState.Approved or RequestState.ProductionDeploying => UpgradeStep.DeployingProduction,
            RequestState.ProductionFailed => UpgradeStep.Failed,
            _ => UpgradeStep.Superseded,
        };
    }

    /// <summary>Nothing more happens to this request in the batch without a person.</summary>
    public static bool IsFinished(UpgradeStep step) =>
        step is UpgradeStep.Skipped or UpgradeStep.Live or UpgradeStep.Failed or UpgradeStep.TestingFailed or UpgradeStep.Rejected
            or UpgradeStep.Superseded or UpgradeStep.Removed;

    public static string Label(UpgradeStep step) => step switch
    {
        UpgradeStep.Skipped => "Skipped",
        UpgradeStep.Queued => "Queued",
        UpgradeStep.Testing => "Testing",
        UpgradeStep.TestingReady => "Testing ready",
        UpgradeStep.TestingFailed => "Testing failed",
        UpgradeStep.AwaitingApproval => "Awaiting approval",
        UpgradeStep.Rejected => "Rejected",
        UpgradeStep.DeployingProduction => "Deploying production",
        UpgradeStep.Live => "Live",
        UpgradeStep.Failed => "Failed",
        UpgradeStep.Superseded => "Superseded",
        UpgradeStep.Removed => "Removed",
        _ => step.ToString(),
    };

    /// <summary>The API's name of a step (<c>awaiting-approval</c>).</summary>
    public static string Code(UpgradeStep step) => Label(step).ToLowerInvariant().Replace(' ', '-');
}
