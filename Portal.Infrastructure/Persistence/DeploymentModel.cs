using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Portal.Core.Deployments;
using Portal.Core.Templates;
using Portal.Infrastructure.Deployments;

namespace Portal.Infrastructure.Persistence;

/// <summary>The deployment engine's tables.</summary>
internal static class DeploymentModel
{
    /// <summary>A stack's kind is stored by its name (<c>site</c>, <c>mta-sts</c>, ...), as it always was.</summary>
    private static readonly ValueConverter<StackKind, string> StackKindConverter = new(kind => StackKindNames.Of(kind), name => StackKindNames.Parse(name));

    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<DeploymentRun>(b =>
        {
            b.ToTable("deployment_runs");
            b.HasKey(r => r.Id);
            b.Property(r => r.Id).ValueGeneratedNever();
            b.Property(r => r.Environment).HasConversion<string>().HasMaxLength(16);
            b.Property(r => r.Action).HasConversion<string>().HasMaxLength(16);
            b.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
            b.Property(r => r.FailureMessage).HasMaxLength(4000);
            b.Property(r => r.ContentBucket).HasMaxLength(63);
            b.Property(r => r.SourcePrefix).HasMaxLength(512);
            b.Property(r => r.TargetPrefix).HasMaxLength(512);
            b.Property(r => r.DistributionId).HasMaxLength(64);
            b.Property(r => r.InvalidationId).HasMaxLength(64);
            b.Property(r => r.InvalidationStatus).HasMaxLength(32);
            b.Ignore(r => r.IsActive);

            // At most one active run per request: two replicas starting the same deployment cannot both succeed.
            b.HasIndex(r => r.RequestId).IsUnique().HasFilter("\"Status\" IN ('Running', 'CopyingContent')").HasDatabaseName("IX_deployment_runs_active_request");
            b.HasIndex(r => new { r.RequestId, r.CreatedAt });
            b.HasIndex(r => new { r.Status, r.NextCheckAt });
            b.HasMany(r => r.Stacks).WithOne().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ProductionPlan>(b =>
        {
            b.ToTable("production_plans");
            b.HasKey(p => p.Id);
            b.Property(p => p.Id).ValueGeneratedNever();
            b.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
            b.Property(p => p.TemplateFingerprint).HasMaxLength(64);
            b.Property(p => p.StacksFingerprint).HasMaxLength(64);
            b.Property(p => p.StaleReason).HasMaxLength(1000);
            b.Property(p => p.FailureMessage).HasMaxLength(4000);
            b.Property(p => p.ApprovedBy).HasMaxLength(200);
            b.Property(p => p.StacksJson).IsRequired();
            b.Property(p => p.Version).IsConcurrencyToken();
            b.Ignore(p => p.Basis);
            b.Ignore(p => p.Stacks);
            b.Ignore(p => p.ChangeSetIds);
            b.Ignore(p => p.IsOpen);
            b.HasIndex(p => new { p.RequestId, p.CreatedAt });
            b.HasIndex(p => p.Status);
        });

        modelBuilder.Entity<StackOperation>(b =>
        {
            b.ToTable("stack_operations");
            b.HasKey(s => s.Id);
            b.Property(s => s.Id).ValueGeneratedNever();
            b.Property(s => s.StackName).HasMaxLength(128);
            b.Property(s => s.Region).HasMaxLength(32);
            b.Property(s => s.Account).HasMaxLength(32);
            b.Property(s => s.Kind).HasConversion(StackKindConverter).HasMaxLength(16);
            b.Property(s => s.Action).HasConversion<string>().HasMaxLength(16);
            b.Property(s => s.Step).HasConversion<string>().HasMaxLength(24);
            b.Property(s => s.TemplateBody).IsRequired();
            b.Property(s => s.TemplateRelease).HasMaxLength(64);
            b.Property(s => s.ChangeSetType).HasMaxLength(16);
            b.Property(s => s.ChangeSetName).HasMaxLength(128);
            b.Property(s => s.ChangeSetId).HasMaxLength(1600);
            b.Property(s => s.ClientRequestToken).HasMaxLength(128);
            b.Property(s => s.StackId).HasMaxLength(256);
            b.Property(s => s.StackStatus).HasMaxLength(48);
            b.Property(s => s.FailureMessage).HasMaxLength(4000);
            b.Ignore(s => s.IsDone);
            b.HasIndex(s => new { s.RunId, s.Sequence }).IsUnique();
            b.HasIndex(s => new { s.Step, s.NextCheckAt });
        });

        modelBuilder.Entity<TrackedStack>(b =>
        {
            b.ToTable("stacks");
            b.HasKey(s => s.Id);
            b.Property(s => s.Id).ValueGeneratedNever();
            b.Property(s => s.StackName).HasMaxLength(128);
            b.Property(s => s.Region).HasMaxLength(32);
            b.Property(s => s.StackId).HasMaxLength(256);
            b.Property(s => s.Account).HasMaxLength(32);
            b.Property(s => s.Kind).HasConversion(StackKindConverter).HasMaxLength(16);
            b.Property(s => s.Environment).HasConversion<string>().HasMaxLength(16);
            b.Property(s => s.Status).HasMaxLength(48);
            b.Property(s => s.StatusReason).HasMaxLength(4000);
            b.Property(s => s.DriftStatus).HasMaxLength(16);
            b.Property(s => s.DriftDetectionId).HasMaxLength(64);
            b.Property(s => s.TemplateSha256).HasMaxLength(64);
            b.Property(s => s.TemplateRelease).HasMaxLength(64);
            b.HasIndex(s => new { s.Region, s.StackName }).IsUnique();
            b.HasIndex(s => s.RequestId);
            b.HasIndex(s => s.NextCheckAt);
            b.HasIndex(s => s.NextDriftCheckAt);
        });

        modelBuilder.Entity<StoredStackEvent>(b =>
        {
            b.ToTable("stack_events");
            b.HasKey(e => e.EventId);
            b.Property(e => e.EventId).HasMaxLength(128);
            b.Property(e => e.StackName).HasMaxLength(128);
            b.Property(e => e.Region).HasMaxLength(32);
            b.Property(e => e.StackId).HasMaxLength(256);
            b.Property(e => e.LogicalResourceId).HasMaxLength(256);
            b.Property(e => e.PhysicalResourceId).HasMaxLength(1024);
            b.Property(e => e.ResourceType).HasMaxLength(256);
            b.Property(e => e.ResourceStatus).HasMaxLength(48);
            b.Property(e => e.ResourceStatusReason).HasMaxLength(4000);
            b.Property(e => e.ClientRequestToken).HasMaxLength(128);
            b.HasIndex(e => new { e.Region, e.StackName, e.Timestamp });
            b.HasIndex(e => e.ClientRequestToken);
        });

        modelBuilder.Entity<WorkLease>(b =>
        {
            b.ToTable("work_leases");
            b.HasKey(l => l.Name);
            b.Property(l => l.Name).HasMaxLength(64);
            b.Property(l => l.Owner).HasMaxLength(128);
        });
    }
}
