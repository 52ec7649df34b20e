using System.ComponentModel.DataAnnotations;

namespace Portal.Core.Approvals;

/// <summary>Settings of the <c>Approval</c> configuration section.</summary>
public sealed class ApprovalOptions
{
    public const string SectionName = "Approval";

    /// <summary>How recent a sign-in must be to promote, reject or decommission (step-up). Default 15 minutes.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "12:00:00", ErrorMessage = "Approval:MaxAuthAge must be between 00:01:00 and 12:00:00.")]
    public TimeSpan MaxAuthAge { get; set; } = TimeSpan.FromMinutes(15);
}
