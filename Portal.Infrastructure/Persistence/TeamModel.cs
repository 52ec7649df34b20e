using Microsoft.EntityFrameworkCore;
using Portal.Core.Zones;

namespace Portal.Infrastructure.Persistence;

/// <summary>A team: its id is what requests store and what a provider's group claim carries; its name is for people.</summary>
public sealed class TeamRecord
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// A person an admin put in a team on the admin page (the built-in provider has no groups of its own). With an external
/// provider, membership also comes from its group claim at sign-in; both count.
/// </summary>
public sealed class TeamMemberRecord
{
    public string TeamId { get; set; } = "";

    public string PersonId { get; set; } = "";

    public string PersonName { get; set; } = "";
}

/// <summary>A person who may approve the requests of one team, without the global Approver role.</summary>
public sealed class TeamApproverRecord
{
    public string TeamId { get; set; } = "";

    public string PersonId { get; set; } = "";

    public string PersonName { get; set; } = "";
}

/// <summary>A hosted zone allowed to one team, or to everyone (<see cref="TeamId"/> null).</summary>
public sealed class ZoneGrantRecord
{
    public Guid Id { get; set; }

    /// <summary>The AWS account holding the zone; null for the portal's one account.</summary>
    public string? AccountId { get; set; }

    public string ZoneId { get; set; } = "";

    public string ZoneName { get; set; } = "";

    public string? TeamId { get; set; }

    public ZoneGrant ToGrant() => new(ZoneId, ZoneName, TeamId, AccountId);
}

/// <summary>One admin change to teams, memberships, approvers or zones: who, when, what. Append-only, as the request trail.</summary>
public sealed class AdminAuditRecord
{
    public Guid Id { get; set; }

    public DateTimeOffset At { get; set; }

    public string ActorId { get; set; } = "";

    public string ActorName { get; set; } = "";

    /// <summary>E.g. <c>CreateTeam</c>, <c>AddMember</c>, <c>AllowZone</c>.</summary>
    public string Action { get; set; } = "";

    /// <summary>What was changed, e.g. <c>team web</c> or <c>zone example.com (Z1)</c>.</summary>
    public string Subject { get; set; } = "";

    public string? Detail { get; set; }
}

internal static class TeamModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<TeamRecord>(b =>
        {
            b.ToTable("teams");
            b.HasKey(t => t.Id);
            b.Property(t => t.Id).HasMaxLength(64);
            b.Property(t => t.Name).HasMaxLength(200);
        });

        modelBuilder.Entity<TeamMemberRecord>(b =>
        {
            b.ToTable("team_members");
            b.HasKey(m => new { m.TeamId, m.PersonId });
            b.Property(m => m.TeamId).HasMaxLength(64);
            b.Property(m => m.PersonId).HasMaxLength(200);
            b.Property(m => m.PersonName).HasMaxLength(200);
            b.HasIndex(m => m.PersonId);
            b.HasOne<TeamRecord>().WithMany().HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<TeamApproverRecord>(b =>
        {
            b.ToTable("team_approvers");
            b.HasKey(m => new { m.TeamId, m.PersonId });
            b.Property(m => m.TeamId).HasMaxLength(64);
            b.Property(m => m.PersonId).HasMaxLength(200);
            b.Property(m => m.PersonName).HasMaxLength(200);
            b.HasIndex(m => m.PersonId);
            b.HasOne<TeamRecord>().WithMany().HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ZoneGrantRecord>(b =>
        {
            b.ToTable("zone_grants");
            b.HasKey(g => g.Id);
            b.Property(g => g.Id).ValueGeneratedNever();
            b.Property(g => g.AccountId).HasMaxLength(12);
            b.Property(g => g.ZoneId).HasMaxLength(32);
            b.Property(g => g.ZoneName).HasMaxLength(253);
            b.Property(g => g.TeamId).HasMaxLength(64);
            b.HasIndex(g => new { g.ZoneId, g.TeamId });
            b.HasOne<TeamRecord>().WithMany().HasForeignKey(g => g.TeamId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<AdminAuditRecord>(b =>
        {
            b.ToTable("admin_audit_events");
            b.HasKey(e => e.Id);
            b.Property(e => e.Id).ValueGeneratedNever();
            b.Property(e => e.ActorId).HasMaxLength(200);
            b.Property(e => e.ActorName).HasMaxLength(200);
            b.Property(e => e.Action).HasMaxLength(64);
            b.Property(e => e.Subject).HasMaxLength(400);
            b.Property(e => e.Detail).HasMaxLength(2000);
            b.HasIndex(e => e.At);
        });
    }
}
