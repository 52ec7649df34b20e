using Microsoft.EntityFrameworkCore;
using Portal.Core.Content;
using Portal.Infrastructure.Content;
using Portal.Core.Deployments;
using Portal.Infrastructure.Deployments;
using Portal.Core.Health;
using Portal.Infrastructure.Health;
using Portal.Core.Notifications;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.TlsReports;
using Portal.Core.Upgrades;

namespace Portal.Infrastructure.Persistence;

/// <summary>
/// The portal's database. Each provider has a derived context (in the web project) that owns its migrations,
/// because SQLite and PostgreSQL migrations differ; everything else uses this type.
/// </summary>
public class PortalDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<PortalRequest> Requests => Set<PortalRequest>();

    public DbSet<RequestRevision> Revisions => Set<RequestRevision>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<DeploymentRun> DeploymentRuns => Set<DeploymentRun>();

    public DbSet<StackOperation> StackOperations => Set<StackOperation>();

    public DbSet<TrackedStack> Stacks => Set<TrackedStack>();

    public DbSet<ProductionPlan> ProductionPlans => Set<ProductionPlan>();

    public DbSet<StoredStackEvent> StackEvents => Set<StoredStackEvent>();

    public DbSet<WorkLease> WorkLeases => Set<WorkLease>();

    public DbSet<ContentVersion> ContentVersions => Set<ContentVersion>();

    public DbSet<HealthTarget> HealthTargets => Set<HealthTarget>();

    public DbSet<HealthResult> HealthResults => Set<HealthResult>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<NotificationDelivery> NotificationDeliveries => Set<NotificationDelivery>();

    public DbSet<NotificationPersonRecord> NotificationPeople => Set<NotificationPersonRecord>();

    public DbSet<NotificationSource> NotificationSources => Set<NotificationSource>();

    public DbSet<StoredTlsReport> TlsReports => Set<StoredTlsReport>();

    public DbSet<TeamRecord> Teams => Set<TeamRecord>();

    public DbSet<TeamMemberRecord> TeamMembers => Set<TeamMemberRecord>();

    public DbSet<TeamApproverRecord> TeamApprovers => Set<TeamApproverRecord>();

    public DbSet<ZoneGrantRecord> ZoneGrants => Set<ZoneGrantRecord>();

    public DbSet<AdminAuditRecord> AdminAuditEvents => Set<AdminAuditRecord>();

    public DbSet<TemplateUpgradeBatch> TemplateUpgradeBatches => Set<TemplateUpgradeBatch>();

    public DbSet<TemplateUpgradeItem> TemplateUpgradeItems => Set<TemplateUpgradeItem>();

    public DbSet<Core.Accounts.TargetAccount> TargetAccounts => Set<Core.Accounts.TargetAccount>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<PortalRequest>(b =>
        {
            b.ToTable("requests");
            b.HasKey(r => r.Id);
            b.Property(r => r.Id).ValueGeneratedNever();
            b.Property(r => r.Kind).HasConversion<string>().HasMaxLength(16);
            b.Property(r => r.State).HasConversion<string>().HasMaxLength(32);
            b.Property(r => r.PrimaryName).HasMaxLength(253);
            b.Property(r => r.OwnerId).HasMaxLength(200);
            b.Property(r => r.OwnerName).HasMaxLength(200);
            b.Property(r => r.TeamId).HasMaxLength(64);
            b.Property(r => r.DecommissionRequestedBy).HasMaxLength(200);
            b.Property(r => r.FailureMessage).HasMaxLength(4000);
            b.Property(r => r.Version).IsConcurrencyToken();
            b.Property(r => r.ApprovedContentVersionId);
            b.Ignore(r => r.CurrentRevision);
            b.Ignore(r => r.Facts);
            // One active request per name and kind; the filter is plain SQL both SQLite and PostgreSQL accept.
            b.HasIndex(r => new { r.Kind, r.PrimaryName }).IsUnique().HasFilter("\"State\" NOT IN ('Withdrawn', 'Decommissioned')");
            b.HasIndex(r => r.OwnerId);
            b.HasIndex(r => r.TeamId);
            b.HasIndex(r => new { r.State, r.UpdatedAt });

            // The request list's sort orders (column, then id), so a page of a large list is read from an index, not sorted.
            b.HasIndex(r => new { r.UpdatedAt, r.Id });
            b.HasIndex(r => new { r.PrimaryName, r.Id });
            b.HasIndex(r => new { r.OwnerName, r.Id });
            b.HasIndex(r => new { r.State, r.Id });
            b.HasMany(r => r.Revisions).WithOne().HasForeignKey(v => v.RequestId).OnDelete(DeleteBehavior.Cascade);
            b.HasMany(r => r.AuditEvents).WithOne().HasForeignKey(e => e.RequestId).OnDelete(DeleteBehavior.Restrict);
            b.Navigation(r => r.Revisions).UsePropertyAccessMode(PropertyAccessMode.Field);
            b.Navigation(r => r.AuditEvents).UsePropertyAccessMode(PropertyAccessMode.Field);
        });

        modelBuilder.Entity<RequestRevision>(b =>
        {
            b.ToTable("request_revisions");
            b.HasKey(v => new { v.RequestId, v.Number });
            b.Property(v => v.SpecJson).IsRequired();
            b.Property(v => v.CreatedById).HasMaxLength(200);
            b.Property(v => v.CreatedByName).HasMaxLength(200);
            b.Property(v => v.LastEditorId).HasMaxLength(200);
            b.Ignore(v => v.Spec);
        });

        modelBuilder.Entity<AuditEvent>(b =>
        {
            b.ToTable("audit_events");
            b.HasKey(e => e.Id);

            // Ids are made by the domain (time-ordered v7); telling EF lets it see events added to a loaded request as new.
            b.Property(e => e.Id).ValueGeneratedNever();
            b.Property(e => e.ActorId).HasMaxLength(200);
            b.Property(e => e.ActorName).HasMaxLength(200);
            b.Property(e => e.Action).HasMaxLength(64);
            b.Property(e => e.FromState).HasConversion<string>().HasMaxLength(32);
            b.Property(e => e.ToState).HasConversion<string>().HasMaxLength(32);
            b.Property(e => e.Reason).HasMaxLength(2000);
            b.HasIndex(e => new { e.RequestId, e.Sequence }).IsUnique();
            b.HasIndex(e => e.At);
            b.HasIndex(e => e.ActorId);
        });

        modelBuilder.Entity<DataProtectionKey>(b =>
        {
            b.ToTable("data_protection_keys");
            b.HasKey(k => k.Id);
            b.Property(k => k.FriendlyName).HasMaxLength(200).IsRequired();
            b.Property(k => k.Xml).IsRequired();
            b.HasIndex(k => k.FriendlyName).IsUnique();
        });

        modelBuilder.Entity<Core.Accounts.TargetAccount>(b =>
        {
            b.ToTable("target_accounts");
            b.HasKey(a => a.Name);
            b.Property(a => a.Name).HasMaxLength(32);
            b.Property(a => a.AccountId).HasMaxLength(12).IsRequired();
            b.Property(a => a.Region).HasMaxLength(32).IsRequired();
            b.Property(a => a.RoleArn).HasMaxLength(2048).IsRequired();
            b.Property(a => a.ExternalId).HasMaxLength(1224).IsRequired();
            b.Property(a => a.UpdatedBy).HasMaxLength(200);
            b.HasIndex(a => a.AccountId).IsUnique();
        });

        DeploymentModel.Configure(modelBuilder);
        ContentModel.Configure(modelBuilder);
        HealthModel.Configure(modelBuilder);
        NotificationModel.Configure(modelBuilder);
        TlsReportModel.Configure(modelBuilder);
        TeamModel.Configure(modelBuilder);
        UpgradeModel.Configure(modelBuilder);
    }

    /// <summary>True when a save failed on a unique index; each provider recognises its own error.</summary>
    public virtual bool IsUniqueViolation(DbUpdateException exception) => false;

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        GuardAuditTrail();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardAuditTrail();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>The audit trail and the content versions are append-only: no code path may rewrite or delete history.</summary>
    private void GuardAuditTrail()
    {
        if (ChangeTracker.Entries<AuditEvent>().Any(e => e.State is EntityState.Modified or EntityState.Deleted)
            || ChangeTracker.Entries<AdminAuditRecord>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
        {
            throw new InvalidOperationException("Audit events are append-only; they cannot be changed or deleted.");
        }

        if (ChangeTracker.Entries<ContentVersion>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
        {
            throw new InvalidOperationException("Content versions are append-only; they cannot be changed or deleted.");
        }
    }
}
