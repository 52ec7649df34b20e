using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Portal.Identity.BuiltIn;

/// <summary>A protected secret of the built-in provider (token signing and encryption keys, the portal's client secret).</summary>
public sealed class ProviderSecret
{
    public string Name { get; set; } = "";

    /// <summary>The secret protected by ASP.NET Core Data Protection, so a copy of the database alone does not reveal it.</summary>
    public string ProtectedValue { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// Users of the built-in identity provider and OpenIddict's tables, in the portal's database (same connection, own
/// migrations history). Each database provider has a derived context that owns its migrations.
/// </summary>
public abstract class PortalIdentityDbContext(DbContextOptions options) : IdentityDbContext<PortalUser>(options)
{
    public const string HistoryTable = "__IdentityMigrationsHistory";

    public DbSet<ProviderSecret> ProviderSecrets => Set<ProviderSecret>();

    public DbSet<StoredSession> Sessions => Set<StoredSession>();

    public DbSet<SecurityEvent> SecurityEvents => Set<SecurityEvent>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.OnModelCreating(builder);
        builder.UseOpenIddict();
        builder.Entity<PortalUser>(b =>
        {
            b.Property(u => u.DisplayName).HasMaxLength(200);
        });
        builder.Entity<ProviderSecret>(b =>
        {
            b.ToTable("identity_provider_secrets");
            b.HasKey(s => s.Name);
            b.Property(s => s.Name).HasMaxLength(64);
        });
        builder.Entity<StoredSession>(b =>
        {
            b.ToTable("identity_sessions");
            b.HasKey(s => s.KeyHash);
            b.Property(s => s.KeyHash).HasMaxLength(64);
            b.Property(s => s.Scheme).HasMaxLength(64);
            b.Property(s => s.Subject).HasMaxLength(256);
            b.HasIndex(s => s.Subject);
            b.HasIndex(s => s.ExpiresAt);
        });
        builder.Entity<SecurityEvent>(b =>
        {
            b.ToTable("identity_security_events");
            b.HasKey(e => e.Id);
            b.Property(e => e.Kind).HasMaxLength(64);
            b.Property(e => e.Subject).HasMaxLength(256);
            b.Property(e => e.Name).HasMaxLength(256);
            b.Property(e => e.Detail).HasMaxLength(1024);
            b.Property(e => e.Client).HasMaxLength(64);
            b.Property(e => e.By).HasMaxLength(256);
            b.HasIndex(e => e.AtUnixMs);
        });
    }
}

public sealed class SqliteIdentityDbContext(DbContextOptions<SqliteIdentityDbContext> options) : PortalIdentityDbContext(options);

public sealed class PostgresIdentityDbContext(DbContextOptions<PostgresIdentityDbContext> options) : PortalIdentityDbContext(options);

/// <summary>Lets <c>dotnet ef migrations add --context SqliteIdentityDbContext</c> build the model without starting the app.</summary>
public sealed class SqliteIdentityDesignTimeFactory : IDesignTimeDbContextFactory<SqliteIdentityDbContext>
{
    public SqliteIdentityDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteIdentityDbContext>()
            .UseSqlite("Data Source=design.db", o => o.MigrationsHistoryTable(PortalIdentityDbContext.HistoryTable))
            .Options);
}

/// <summary>Lets <c>dotnet ef migrations add --context PostgresIdentityDbContext</c> build the model without a server.</summary>
public sealed class PostgresIdentityDesignTimeFactory : IDesignTimeDbContextFactory<PostgresIdentityDbContext>
{
    public PostgresIdentityDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresIdentityDbContext>()
            .UseNpgsql("Host=localhost;Database=portal_design", o => o.MigrationsHistoryTable(PortalIdentityDbContext.HistoryTable))
            .Options);
}
