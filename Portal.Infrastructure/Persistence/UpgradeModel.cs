using Microsoft.EntityFrameworkCore;
using Portal.Core.Upgrades;

namespace Portal.Infrastructure.Persistence;

/// <summary>The template upgrade batches an admin started, and each request's part in them.</summary>
public static class UpgradeModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<TemplateUpgradeBatch>(b =>
        {
            b.ToTable("template_upgrade_batches");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.Release).HasMaxLength(64);
            b.Property(x => x.StartedById).HasMaxLength(200);
            b.Property(x => x.StartedByName).HasMaxLength(200);
            b.HasIndex(x => x.StartedAt);
            b.HasMany(x => x.Items).WithOne().HasForeignKey(i => i.BatchId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<TemplateUpgradeItem>(b =>
        {
            b.ToTable("template_upgrade_items");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.PrimaryName).HasMaxLength(253);
            b.Property(x => x.SkipReason).HasMaxLength(1000);

            // A request appears once per batch; the engine looks for upgrades still to be sent for approval.
            b.HasIndex(x => new { x.BatchId, x.RequestId }).IsUnique();
            b.HasIndex(x => new { x.RequestId, x.RevisionNumber });
            b.HasIndex(x => x.ApprovalRequested);
        });
    }
}
