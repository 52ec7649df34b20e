using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Notifications;
using Portal.Core.Workflow;
using Portal.Infrastructure.Notifications;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Requests;
using Portal.Notifications;
using Portal.Tests.Infrastructure;
using Portal.Core.Approvals;

namespace Portal.Tests.Notifications;

/// <summary>The outbox and a dispatcher over one database, with webhooks as configured and time under the test's control.</summary>
public sealed class NotificationHarness
{
    public NotificationHarness(IDbContextFactory<PortalDbContext> db, NotificationOptions options, FakeTimeProvider? clock = null, int outboxBatchSize = 200)
    {
        Db = db;
        Clock = clock ?? new FakeTimeProvider(TestActors.SignedInAt);
        Options = options;
        Outbox = new NotificationOutbox(db, Microsoft.Extensions.Options.Options.Create(options), Clock, outboxBatchSize);
        Dispatcher = NewDispatcher();
        Requests = new RequestService(db, Clock, Microsoft.Extensions.Options.Options.Create(new ApprovalOptions()));
        People = new NotificationPeople(db, Clock);
    }

    public IDbContextFactory<PortalDbContext> Db { get; }

    public FakeTimeProvider Clock { get; }

    public NotificationOptions Options { get; }

    public NotificationOutbox Outbox { get; }

    public NotificationDispatcher Dispatcher { get; }

    public RequestService Requests { get; }

    public NotificationPeople People { get; }

    /// <summary>Another dispatcher on the same database, as a second replica would have.</summary>
    public NotificationDispatcher NewDispatcher() => new(Db,
        [new WebhookNotificationTransport(new HttpClient { Timeout = TimeSpan.FromSeconds(10) }, Microsoft.Extensions.Options.Options.Create(Options))],
        Microsoft.Extensions.Options.Options.Create(Options), Clock);

    /// <summary>A request by Alice, rejected by Bob: one audit event the webhooks hear of.</summary>
    public async Task<Guid> RejectedRequestAsync(string host = "docs.example.com")
    {
        await Outbox.CollectAsync();
        Clock.Advance(TimeSpan.FromSeconds(1));
        var created = await Requests.CreateAsync(TestSpecs.Site(host), TestActors.Alice, submit: true);
        var id = created.RequestId;
        Assert.True((await Requests.ApplyAsync(id, WorkflowAction.StartTestingDeployment, Actor.System)).Succeeded);
        Assert.True((await Requests.ApplyAsync(id, WorkflowAction.CompleteTestingDeployment, Actor.System)).Succeeded);
        Assert.True((await Requests.ApplyAsync(id, WorkflowAction.RequestApproval, TestActors.Alice)).Succeeded);
        Assert.True((await Requests.ApplyAsync(id, WorkflowAction.Reject, TestActors.Bob, "Use the shared zone")).Succeeded);
        return id;
    }

    public async Task<List<NotificationDelivery>> DeliveriesAsync()
    {
        await using var ctx = await Db.CreateDbContextAsync();
        return await ctx.NotificationDeliveries.AsNoTracking().OrderBy(d => d.CreatedAt).ThenBy(d => d.Recipient).ToListAsync();
    }

    public static NotificationOptions WithWebhooks(params NotificationWebhookOptions[] hooks)
    {
        var options = new NotificationOptions { PublicBaseUrl = new Uri("https://portal.example.test/") };
        foreach (var hook in hooks)
        {
            options.Webhooks.Add(hook);
        }

        return options;
    }
}
