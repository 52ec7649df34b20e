using Microsoft.EntityFrameworkCore;
using Portal.Core.Notifications;
using Portal.Core.Workflow;
using Portal.Infrastructure.Persistence;

namespace Portal.Infrastructure.Notifications;

/// <summary>
/// The people notifications can reach. The portal learns a person's address and roles from their sign-in (the
/// identity provider is the source), so an approver is notified once they have signed in at least once.
/// </summary>
public sealed class NotificationPeople(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>Records (or refreshes) a person at sign-in; their choices stay as they were.</summary>
    public async Task SeenAsync(Actor actor, string? email, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.IsSystem || actor.IsServiceAccount)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var person = await db.NotificationPeople.FirstOrDefaultAsync(p => p.Id == actor.Id, ct);
        if (person is null)
        {
            person = new NotificationPersonRecord { Id = actor.Id };
            db.NotificationPeople.Add(person);
        }

        person.DisplayName = actor.DisplayName.Length > 200 ? actor.DisplayName[..200] : actor.DisplayName;
        person.Email = string.IsNullOrWhiteSpace(email) || email.Length > 320 ? null : email.Trim();
        person.IsApprover = actor.Roles.Contains(PortalRole.Approver);
        person.SeenAt = clock.GetUtcNow();
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            // The same person signed in on two replicas at once; either record is right.
        }
    }

    public async Task<NotificationPerson?> GetAsync(string personId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.NotificationPeople.AsNoTracking().FirstOrDefaultAsync(p => p.Id == personId, ct))?.ToPerson();
    }

    /// <summary>Stores a person's choices; false when the portal has not seen them sign in (nothing to attach the choices to).</summary>
    public async Task<bool> SavePreferencesAsync(string personId, NotificationPreferences preferences, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(preferences);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var person = await db.NotificationPeople.FirstOrDefaultAsync(p => p.Id == personId, ct);
        if (person is null)
        {
            return false;
        }

        person.Off = preferences.Serialize();
        await db.SaveChangesAsync(ct);
        return true;
    }
}
