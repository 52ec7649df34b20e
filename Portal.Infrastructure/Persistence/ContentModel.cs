using Microsoft.EntityFrameworkCore;
using Portal.Core.Content;
using Portal.Infrastructure.Content;

namespace Portal.Infrastructure.Persistence;

/// <summary>The content versions table.</summary>
internal static class ContentModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ContentVersion>(b =>
        {
            b.ToTable("content_versions");
            b.HasKey(v => v.Id);
            b.Property(v => v.Id).ValueGeneratedNever();
            b.Property(v => v.Source).HasConversion<string>().HasMaxLength(16);
            b.Property(v => v.CreatedById).HasMaxLength(200);
            b.Property(v => v.CreatedByName).HasMaxLength(200);
            b.Property(v => v.ArchiveSha256).HasMaxLength(64);
            b.Property(v => v.TestingDistributionId).HasMaxLength(64);
            b.Property(v => v.TestingInvalidationId).HasMaxLength(64);
            b.Property(v => v.Bucket).HasMaxLength(63);
            b.Property(v => v.AdoptedFrom).HasMaxLength(1100);
            b.Property(v => v.ManifestJson).IsRequired();
            b.Ignore(v => v.Files);

            // Two uploads finishing at once cannot take the same number.
            b.HasIndex(v => new { v.RequestId, v.Number }).IsUnique();
            b.HasOne<Portal.Core.Requests.PortalRequest>().WithMany().HasForeignKey(v => v.RequestId).OnDelete(DeleteBehavior.Restrict);
        });
    }
}
