using Portal.Core.Notifications;
using Portal.Infrastructure.Notifications;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Notifications;

/// <summary>Team webhooks receive Slack- and Teams-shaped JSON with the link to the request, for the kinds they subscribe to.</summary>
public sealed class WebhookDeliveryTests
{
    [Fact]
    public async Task A_rejection_reaches_the_slack_and_the_teams_webhook_in_their_shapes()
    {
        using var slack = new WebhookReceiver();
        using var teams = new WebhookReceiver();
        using var quiet = new WebhookReceiver();
        var h = new NotificationHarness(await TestDatabases.SqliteAsync(), NotificationHarness.WithWebhooks(
            new NotificationWebhookOptions { Name = "platform-slack", Url = slack.Url, Format = WebhookFormat.Slack },
            new NotificationWebhookOptions { Name = "platform-teams", Url = teams.Url, Format = WebhookFormat.Teams },
            new NotificationWebhookOptions { Name = "health-only", Url = quiet.Url, Format = WebhookFormat.Slack, Kinds = { NotificationKind.HealthBad } }));

        var id = await h.RejectedRequestAsync();
        await h.Outbox.CollectAsync();
        var result = await h.Dispatcher.SendDueAsync();

        var link = $"https://portal.example.test/requests/{id}";
        // Testing ready, approval requested and rejected: three events, each to both subscribed webhooks.
        Assert.Equal(6, result.Sent);
        var slackBodies = slack.Received.Select(r => r.Body).ToList();
        Assert.All(slack.Received, r => Assert.StartsWith("application/json", r.ContentType, StringComparison.Ordinal));
        var rejected = Assert.Single(slackBodies, b => ((string)b["text"]!).StartsWith("Rejected: docs.example.com", StringComparison.Ordinal));
        Assert.Equal($"Rejected: docs.example.com: Bob Approver rejected docs.example.com. Reason: Use the shared zone {link}", (string)rejected["text"]!);
        Assert.Equal($"<{link}|Open in the portal>", (string)rejected["blocks"]![1]!["text"]!["text"]!);

        var card = Assert.Single(teams.Received.Select(r => r.Body), b => (string)b["attachments"]![0]!["content"]!["body"]![0]!["text"]! == "Rejected: docs.example.com");
        Assert.Equal("message", (string)card["type"]!);
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string)card["attachments"]![0]!["contentType"]!);
        Assert.Equal(link, (string)card["attachments"]![0]!["content"]!["actions"]![0]!["url"]!);
        Assert.Empty(quiet.Received);
    }
}
