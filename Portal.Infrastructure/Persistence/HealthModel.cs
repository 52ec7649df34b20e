using Microsoft.EntityFrameworkCore;
using Portal.Core.Health;
using Portal.Infrastructure.Health;

namespace Portal.Infrastructure.Persistence;

/// <summary>The health tables: watched names and their check history.</summary>
public static class HealthModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<HealthTarget>(b =>
        {
            b.ToTable("health_targets");
            b.HasKey(t => t.Id);
            b.Property(t => t.Id).ValueGeneratedNever();
            b.Property(t => t.Name).HasMaxLength(253);
            b.Property(t => t.Kind).HasConversion<string>().HasMaxLength(8);
            b.Property(t => t.AddedBy).HasMaxLength(200);
            b.Property(t => t.LastWorst).HasConversion<string>().HasMaxLength(8);
            b.Property(t => t.LastGrade).HasMaxLength(4);
            b.Property(t => t.LastMode).HasMaxLength(8);
            b.Property(t => t.LastPolicyId).HasMaxLength(32);
            b.Property(t => t.LastPolicyHash).HasMaxLength(64);
            b.Property(t => t.ActiveAlerts).HasMaxLength(500);
            b.Property(t => t.ClaimVersion).IsConcurrencyToken();
            b.Ignore(t => t.Previous);
            b.HasIndex(t => new { t.Name, t.Kind }).IsUnique();
            b.HasIndex(t => t.NextCheckAt);
        });

        modelBuilder.Entity<HealthResult>(b =>
        {
            b.ToTable("health_results");
            b.HasKey(r => r.Id);
            b.Property(r => r.Id).ValueGeneratedNever();
            b.Property(r => r.Worst).HasConversion<string>().HasMaxLength(8);
            b.Property(r => r.Grade).HasMaxLength(4);
            b.Property(r => r.Mode).HasMaxLength(8);
            b.Ignore(r => r.Findings);
            b.Ignore(r => r.MxHosts);
            b.Property(r => r.MxHostsJson).HasDefaultValue("[]");
            b.HasOne<HealthTarget>().WithMany().HasForeignKey(r => r.TargetId).OnDelete(DeleteBehavior.Cascade);
            b.HasIndex(r => new { r.TargetId, r.CheckedAt });
        });
    }
}
