using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Health;
using Portal.Core.Notifications;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Infrastructure.Persistence;

namespace Portal.Infrastructure.Notifications;

public sealed record CollectResult(int Events, int Deliveries);

/// <summary>
/// Turns what the portal already records into deliveries. Audit events are read past the newest source already
/// handled (minus a look-back, since a transaction may commit an older timestamp late); each event's deliveries are
/// saved together with its <see cref="NotificationSource"/> row, whose key makes a second replica's attempt fail, so
/// nothing is created twice and nothing is lost on a restart. The workflow itself never waits for any of this.
/// </summary>
public sealed class NotificationOutbox(IDbContextFactory<PortalDbContext> dbFactory, IOptions<NotificationOptions> options, TimeProvider clock, int batchSize = 200)
{
    /// <summary>How far behind the newest handled event the next pass looks again.</summary>
    public static readonly TimeSpan LookBack = TimeSpan.FromMinutes(5);

    private readonly int _batchSize = batchSize > 0 ? batchSize : throw new ArgumentOutOfRangeException(nameof(batchSize), "The batch size must be positive.");

    public async Task<CollectResult> CollectAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var newest = await db.NotificationSources.Where(s => s.Key.StartsWith("audit:")).OrderByDescending(s => s.At).Select(s => (DateTimeOffset?)s.At).FirstOrDefaultAsync(ct);
        if (newest is null)
        {
            // The first pass starts now: history from before notifications existed is not news.
            await TryMarkAsync(db, new NotificationSource { Key = "audit:start", At = clock.GetUtcNow() }, ct);
            return new(0, 0);
        }

        var from = newest.Value - LookBack;
        var pending = await PendingEventsAsync(db, from, ct);
        var people = (await db.NotificationPeople.AsNoTracking().ToListAsync(ct)).Select(p => p.ToPerson()).ToList();
        int handled = 0, created = 0;
        foreach (var e in pending)
        {
            ct.ThrowIfCancellationRequested();
            var deliveries = await DeliveriesForAsync(db, e, people, ct);
            db.NotificationSources.Add(new NotificationSource { Key = SourceKeyOf(e), At = e.At });
            db.NotificationDeliveries.AddRange(deliveries);
            if (await TrySaveAsync(db, ct))
            {
                handled++;
                created += deliveries.Count;
            }
        }

        return new(handled, created);
    }

    /// <summary>
    /// Up to a batch of events after <paramref name="from"/> not handled yet, oldest first. The look-back window holds
    /// handled events too; it is read page by page until a batch is found, so a busy window (more handled events than a
    /// page) never hides the new ones behind it.
    /// </summary>
    private async Task<List<AuditEvent>> PendingEventsAsync(PortalDbContext db, DateTimeOffset from, CancellationToken ct)
    {
        var window = db.AuditEvents.AsNoTracking().Where(e => e.At > from).OrderBy(e => e.At).ThenBy(e => e.Sequence).ThenBy(e => e.Id);
        var pending = new List<AuditEvent>();
        for (var read = 0; pending.Count < _batchSize;)
        {
            var page = await window.Skip(read).Take(_batchSize * 4).ToListAsync(ct);
            if (page.Count == 0)
            {
                break;
            }

            read += page.Count;
            var keys = page.Select(e => SourceKeyOf(e)).ToList();
            var done = (await db.NotificationSources.Where(s => keys.Contains(s.Key)).Select(s => s.Key).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
            pending.AddRange(page.Where(e => !done.Contains(SourceKeyOf(e))).Take(_batchSize - pending.Count));
        }

        return pending;
    }

    /// <summary>
    /// A health condition newly raised on a watched name: the request's owner and the name's watchers hear of it, and so
    /// do the fixed alert addresses and the webhooks that take health events. Only queued here: the dispatcher sends,
    /// retries and claims each delivery like any other.
    /// </summary>
    public async Task<int> EnqueueHealthAsync(HealthAlert alert, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var targets = await db.HealthTargets.AsNoTracking().Where(t => t.Name == alert.Name && t.Kind == alert.Kind).ToListAsync(ct);
        var requestId = targets.Select(t => t.RequestId).FirstOrDefault(id => id is not null);
        var bare = alert.Name.StartsWith("test.", StringComparison.Ordinal) ? alert.Name[5..] : alert.Name;
        var request = requestId is { } id
            ? await db.Requests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct)
            : await db.Requests.AsNoTracking().Where(r => r.PrimaryName == bare && r.State != RequestState.Withdrawn && r.State != RequestState.Decommissioned).FirstOrDefaultAsync(ct);
        var watchers = targets.Select(t => t.AddedBy).Where(a => a != Actor.SystemId).ToList();
        var subject = new NotificationSubject(request?.OwnerId ?? "", null, Actor.SystemId, watchers);
        var link = targets.FirstOrDefault() is { } target ? Link($"health/{target.Id}") : Link("health");
        // The findings go into the text, so an email still reads as the alert email always did: the summary, then each finding.
        var findings = string.Join("\n", alert.Findings.Select(f => $"[{f.Severity}] {f.Message}"));
        var message = NotificationMessage.Compose(NotificationKind.HealthBad, alert.Name, "Portal", findings.Length == 0 ? alert.Summary : $"{alert.Summary}\n\n{findings}", link);
        var people = (await db.NotificationPeople.AsNoTracking().ToListAsync(ct)).Select(p => p.ToPerson()).ToList();
        var key = $"health:{alert.Kind}:{alert.Name}:{alert.Condition}:{alert.At.UtcTicks}";
        var deliveries = Build(key, message, request?.Id, NotificationRecipients.For(NotificationKind.HealthBad, subject, people), options.Value.HealthAlertEmails);
        var data = WebhookPayloads.HealthAlertData(alert);
        foreach (var delivery in deliveries)
        {
            delivery.Data = data;
        }

        db.NotificationSources.Add(new NotificationSource { Key = key, At = alert.At });
        db.NotificationDeliveries.AddRange(deliveries);
        return await TrySaveAsync(db, ct) ? deliveries.Count : 0;
    }

    public static string SourceKeyOf(AuditEvent e) => "audit:" + e.Id.ToString("N");

    private async Task<List<NotificationDelivery>> DeliveriesForAsync(PortalDbContext db, AuditEvent e, IReadOnlyList<NotificationPerson> people, CancellationToken ct)
    {
        if (NotificationEvents.KindOf(e) is not { } kind)
        {
            return [];
        }

        var request = await db.Requests.AsNoTracking().Include(r => r.Revisions).FirstOrDefaultAsync(r => r.Id == e.RequestId, ct);
        if (request is null)
        {
            return [];
        }

        var names = new[] { request.PrimaryName, ServedNames.Testing(request.PrimaryName) };
        var watchers = await db.HealthTargets.AsNoTracking()
            .Where(t => (t.RequestId == request.Id || names.Contains(t.Name)) && t.AddedBy != Actor.SystemId)
            .Select(t => t.AddedBy).Distinct().ToListAsync(ct);
        var revision = request.Revisions.FirstOrDefault(r => r.Number == e.RevisionNumber) ?? request.Revisions.MaxBy(r => r.Number);
        var subject = new NotificationSubject(request.OwnerId, revision?.LastEditorId, e.ActorId, watchers);
        var message = NotificationMessage.Compose(kind, request.PrimaryName, e.ActorName, e.Reason ?? (kind is NotificationKind.TestingFailed or NotificationKind.ProductionFailed ? request.FailureMessage : null), Link($"requests/{request.Id}"));
        return Build(SourceKeyOf(e), message, request.Id, NotificationRecipients.For(kind, subject, people));
    }

    private List<NotificationDelivery> Build(string key, NotificationMessage message, Guid? requestId, IReadOnlyList<PersonalDelivery> personal, IEnumerable<string>? fixedEmails = null)
    {
        var now = clock.GetUtcNow();
        var rows = personal.Where(p => p.Channel != NotificationChannel.Email || options.Value.EmailConfigured)
            .Select(p => New(key, message, requestId, p.Channel, p.Address, p.Person.Id, now)).ToList();
        if (options.Value.EmailConfigured)
        {
            // Fixed addresses belong to no person (PersonId null): an operations mailbox, not someone with preferences.
            rows.AddRange((fixedEmails ?? []).Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => New(key, message, requestId, NotificationChannel.Email, a.Trim(), null, now)));
        }

        rows.AddRange(options.Value.Webhooks.Where(h => h.Receives(message.Kind)).Select(h => New(key, message, requestId, NotificationChannel.Webhook, h.Name, null, now)));
        return rows.DistinctBy(r => (r.Channel, r.Recipient.ToUpperInvariant())).ToList();
    }

    private static NotificationDelivery New(string key, NotificationMessage message, Guid? requestId, NotificationChannel channel, string recipient, string? personId, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        SourceKey = key,
        Kind = message.Kind,
        Channel = channel,
        Recipient = recipient,
        PersonId = personId,
        RequestId = requestId,
        Title = Truncate(message.Title, 500),
        Text = Truncate(message.Text, 4000),
        Link = message.Link.AbsoluteUri,
        CreatedAt = now,
        Status = DeliveryStatus.Pending,
        NextAttemptAt = now,
    };

    /// <summary>The absolute address of a portal page, from <c>Notifications:PublicBaseUrl</c>.</summary>
    private Uri Link(string relative)
    {
        var baseUrl = options.Value.PublicBaseUrl ?? new Uri("http://localhost:5000/");
        var root = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        return new Uri(root, relative);
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static async Task<bool> TryMarkAsync(PortalDbContext db, NotificationSource source, CancellationToken ct)
    {
        db.NotificationSources.Add(source);
        return await TrySaveAsync(db, ct);
    }

    /// <summary>Saves one source with its deliveries; false when another replica saved the same source first.</summary>
    private static async Task<bool> TrySaveAsync(PortalDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }
}
