using Microsoft.EntityFrameworkCore;
using Portal.Core.TlsReports;

namespace Portal.Infrastructure.Persistence;

/// <summary>The received TLS reports' table.</summary>
public static class TlsReportModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<StoredTlsReport>(b =>
        {
            b.ToTable("tls_reports");
            b.HasKey(r => r.Id);
            b.Property(r => r.Id).ValueGeneratedNever();
            b.Property(r => r.MailDomain).HasMaxLength(253);
            b.Property(r => r.ReportId).HasMaxLength(255);
            b.Property(r => r.Organization).HasMaxLength(200);
            b.Property(r => r.Encoding).HasMaxLength(8);

            // A sender that retries (RFC 8460 section 5.3 lets it) gives the same report id: kept once.
            b.HasIndex(r => new { r.MailDomain, r.ReportId }).IsUnique();
            b.HasIndex(r => new { r.MailDomain, r.StartDate });
        });
    }
}
