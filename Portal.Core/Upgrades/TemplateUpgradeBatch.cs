namespace Portal.Core.Upgrades;

/// <summary>
/// An admin's upgrade of many requests to the current template release, started at once: which requests were chosen,
/// which got an upgrade revision and which were skipped, and why. Progress is read from each request, never stored twice.
/// </summary>
public sealed class TemplateUpgradeBatch
{
    public Guid Id { get; set; }

    /// <summary>The template release the batch upgrades to.</summary>
    public string Release { get; set; } = "";

    public DateTimeOffset StartedAt { get; set; }

    public string StartedById { get; set; } = "";

    public string StartedByName { get; set; } = "";

    public List<TemplateUpgradeItem> Items { get; set; } = [];
}

/// <summary>One request of a batch: the revision the upgrade made, or the reason it was skipped.</summary>
public sealed class TemplateUpgradeItem
{
    public Guid Id { get; set; }

    public Guid BatchId { get; set; }

    public Guid RequestId { get; set; }

    /// <summary>The request's name when the batch started, so a skipped or removed request still reads well.</summary>
    public string PrimaryName { get; set; } = "";

    /// <summary>The upgrade revision; null when the request was skipped.</summary>
    public int? RevisionNumber { get; set; }

    public string? SkipReason { get; set; }

    /// <summary>Approval was asked for once the upgrade revision was ready in testing (or there is nothing more to ask).</summary>
    public bool ApprovalRequested { get; set; }
}
