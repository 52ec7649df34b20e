using Microsoft.EntityFrameworkCore;
using Portal.Core.Notifications;

namespace Portal.Infrastructure.Persistence;

/// <summary>The notification tables: the outbox of deliveries, the sources already turned into deliveries, people's choices.</summary>
public static class NotificationModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<NotificationDelivery>(b =>
        {
            b.ToTable("notification_deliveries");
            b.HasKey(d => d.Id);
            b.Property(d => d.Id).ValueGeneratedNever();
            b.Property(d => d.SourceKey).HasMaxLength(400);
            b.Property(d => d.Kind).HasConversion<string>().HasMaxLength(32);
            b.Property(d => d.Channel).HasConversion<string>().HasMaxLength(16);
            b.Property(d => d.Recipient).HasMaxLength(320);
            b.Property(d => d.PersonId).HasMaxLength(200);
            b.Property(d => d.Title).HasMaxLength(500);
            b.Property(d => d.Text).HasMaxLength(4000);
            b.Property(d => d.Link).HasMaxLength(2000);
            b.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
            b.Property(d => d.LastError).HasMaxLength(2000);
            b.Ignore(d => d.Message);
            b.HasIndex(d => new { d.SourceKey, d.Channel, d.Recipient }).IsUnique();
            b.HasIndex(d => new { d.Status, d.NextAttemptAt });
        });

        modelBuilder.Entity<NotificationPersonRecord>(b =>
        {
            b.ToTable("notification_people");
            b.HasKey(p => p.Id);
            b.Property(p => p.Id).HasMaxLength(200);
            b.Property(p => p.DisplayName).HasMaxLength(200);
            b.Property(p => p.Email).HasMaxLength(320);
            b.Property(p => p.Off).HasMaxLength(2000);
        });

        modelBuilder.Entity<NotificationSource>(b =>
        {
            b.ToTable("notification_sources");
            b.HasKey(s => s.Key);
            b.Property(s => s.Key).HasMaxLength(400);
            b.HasIndex(s => s.At);
        });
    }
}
