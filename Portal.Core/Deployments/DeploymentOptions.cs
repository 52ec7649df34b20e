using System.ComponentModel.DataAnnotations;

namespace Portal.Core.Deployments;

/// <summary>How closely stacks are watched. Bound from the <c>Deployments</c> configuration section.</summary>
public sealed record DeploymentOptions : IValidatableObject
{
    public const string SectionName = "Deployments";

    /// <summary>First wait between checks of a stack that is changing (and of a change set being created).</summary>
    public TimeSpan ActivePollMin { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Longest wait between checks of a stack that is changing; waits grow by <see cref="ActivePollGrowth"/> up to it.
    /// Also the wait between checks of an invalidation or a drift detection, and after AWS could not be reached.
    /// </summary>
    public TimeSpan ActivePollMax { get; init; } = TimeSpan.FromSeconds(30);

    public double ActivePollGrowth { get; init; } = 1.5;

    /// <summary>How often resting stacks are checked, all stacks of a region in one paged listing.</summary>
    public TimeSpan StableCheckInterval { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How often each stack's drift is detected; stacks are spread over the interval.</summary>
    public TimeSpan DriftCheckInterval { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Drift detections started per pass, so a large account does not hit CloudFormation's limits.</summary>
    public int MaxDriftDetectionsPerPass { get; init; } = 5;

    /// <summary>How long a replica holds the deployment lease without renewing it.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Pause of the background worker between passes.</summary>
    public TimeSpan WorkerInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whether the portal upgrades stacks deployed from earlier templates by itself (every
    /// <see cref="TemplateUpgradeCheckInterval"/>). Off by default: an admin chooses which requests to upgrade, and when,
    /// on the template upgrades page.
    /// </summary>
    public bool AutomaticTemplateUpgrades { get; init; }

    /// <summary>How often resting requests are compared with a fresh render, when <see cref="AutomaticTemplateUpgrades"/> is on.</summary>
    public TimeSpan TemplateUpgradeCheckInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Paths invalidated after content is copied to production.</summary>
    public IReadOnlyList<string> InvalidationPaths { get; init; } = ["/*"];

    /// <summary>The same problems for options validation at start (<c>ValidateDataAnnotations</c>).</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) => Validate().Select(problem => new ValidationResult(problem));

    /// <summary>Every problem, each naming its configuration key.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (ActivePollMin <= TimeSpan.Zero || ActivePollMax < ActivePollMin)
        {
            errors.Add("Deployments:ActivePollMin must be positive and at most Deployments:ActivePollMax.");
        }

        if (ActivePollGrowth < 1)
        {
            errors.Add("Deployments:ActivePollGrowth must be at least 1.");
        }

        if (TemplateUpgradeCheckInterval < TimeSpan.FromMinutes(1))
        {
            errors.Add("Deployments:TemplateUpgradeCheckInterval must be at least 00:01:00.");
        }

        if (StableCheckInterval < TimeSpan.FromMinutes(1))
        {
            errors.Add("Deployments:StableCheckInterval must be at least 00:01:00.");
        }

        if (DriftCheckInterval < TimeSpan.FromMinutes(5))
        {
            errors.Add("Deployments:DriftCheckInterval must be at least 00:05:00.");
        }

        if (MaxDriftDetectionsPerPass < 1)
        {
            errors.Add("Deployments:MaxDriftDetectionsPerPass must be at least 1.");
        }

        if (LeaseDuration < TimeSpan.FromSeconds(1))
        {
            errors.Add("Deployments:LeaseDuration must be at least 00:00:01.");
        }

        if (WorkerInterval <= TimeSpan.Zero)
        {
            errors.Add("Deployments:WorkerInterval must be positive.");
        }

        if (InvalidationPaths is null || InvalidationPaths.Count == 0 || InvalidationPaths.Any(p => string.IsNullOrEmpty(p) || p[0] != '/'))
        {
            errors.Add("Deployments:InvalidationPaths must list paths starting with '/'.");
        }

        return errors;
    }
}
