using System.ComponentModel.DataAnnotations;

namespace Portal.Observability;

/// <summary>Settings of the <c>Memory</c> section: when an idle portal gives the memory of a busy moment back.</summary>
public sealed class MemoryOptions
{
    public const string SectionName = "Memory";

    /// <summary>Whether to run one compacting full collection once the portal has been idle for <see cref="QuietBeforeTrim"/>.</summary>
    public bool TrimWhenIdle { get; set; } = true;

    /// <summary>How long after the last browser session closed the portal counts as idle.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00", ErrorMessage = "Memory:QuietBeforeTrim must be between 00:00:05 and 1.00:00:00.")]
    public TimeSpan QuietBeforeTrim { get; set; } = TimeSpan.FromSeconds(30);
}
