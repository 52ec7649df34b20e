using System.Text.Json.Nodes;
using Portal.Core.Notifications;

namespace Portal.Tests.Notifications;

/// <summary>The Slack and Teams shapes, with the deep link, and names that cannot forge Slack markup.</summary>
public sealed class WebhookPayloadTests
{
    private static readonly NotificationMessage Message = NotificationMessage.Compose(NotificationKind.Rejected, "docs.example.test", "Bob <b>", "Use <https://evil.test|a link> & more",
        new Uri("https://portal.example.test/requests/0b6c1f1e-7f59-4cde-9a5a-2d2f5c1d7a10"));

    [Fact]
    public void Slack_gets_text_and_a_section_with_an_escaped_body_and_the_link()
    {
        var json = WebhookPayloads.Slack(Message);

        Assert.Contains("https://portal.example.test/requests/0b6c1f1e-7f59-4cde-9a5a-2d2f5c1d7a10", (string)json["text"]!, StringComparison.Ordinal);
        var body = (string)json["blocks"]![0]!["text"]!["text"]!;
        Assert.Equal("*Rejected: docs.example.test*\nBob &lt;b&gt; rejected docs.example.test. Reason: Use &lt;https://evil.test|a link&gt; &amp; more", body);
        Assert.Equal("<https://portal.example.test/requests/0b6c1f1e-7f59-4cde-9a5a-2d2f5c1d7a10|Open in the portal>", (string)json["blocks"]![1]!["text"]!["text"]!);
    }

    [Fact]
    public void Json_posts_a_health_alert_with_the_fields_the_alert_webhook_always_had_and_the_link()
    {
        var alert = new Portal.Core.Health.HealthAlert("mail.example.test", Portal.Core.Health.HealthCheckKind.Mail, "mta-sts-broken", "MTA-STS is broken.",
            new DateTimeOffset(2026, 12, 1, 8, 30, 0, TimeSpan.Zero),
            [new Portal.Core.Health.Finding("mta-sts.record-missing", Portal.Core.Health.FindingSeverity.Error, "No record.", Reference: "https://www.rfc-editor.org/rfc/rfc8461#section-3.1")]);
        var link = new Uri("https://portal.example.test/health/1");

        var json = WebhookPayloads.Json(new NotificationMessage(NotificationKind.HealthBad, "Health: mail.example.test", "MTA-STS is broken.", link), WebhookPayloads.HealthAlertData(alert));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"name":"mail.example.test","kind":"mail","condition":"mta-sts-broken","summary":"MTA-STS is broken.","at":"2026-12-01T08:30:00+00:00","findings":[{"id":"mta-sts.record-missing","severity":"error","message":"No record.","reference":"https://www.rfc-editor.org/rfc/rfc8461#section-3.1"}],"link":"https://portal.example.test/health/1"}"""), json), json.ToJsonString());
        var plain = WebhookPayloads.Json(Message, null);
        Assert.Equal(["kind", "title", "text", "link"], plain.Select(p => p.Key));
        Assert.Equal(("Rejected", "Rejected: docs.example.test", Message.Text, Message.Link.AbsoluteUri),
            ((string)plain["kind"]!, (string)plain["title"]!, (string)plain["text"]!, (string)plain["link"]!));
    }

    [Fact]
    public void Teams_gets_an_adaptive_card_in_an_attachments_envelope_with_an_open_url_action()
    {
        var json = WebhookPayloads.Teams(Message);

        Assert.Equal("message", (string)json["type"]!);
        var attachment = json["attachments"]!.AsArray().Single()!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string)attachment["contentType"]!);
        var card = attachment["content"]!;
        Assert.Equal("AdaptiveCard", (string)card["type"]!);
        Assert.Equal("Rejected: docs.example.test", (string)card["body"]![0]!["text"]!);
        var action = card["actions"]!.AsArray().Single()!;
        Assert.Equal("Action.OpenUrl", (string)action["type"]!);
        Assert.Equal(Message.Link.AbsoluteUri, (string)action["url"]!);
        Assert.IsType<JsonObject>(JsonNode.Parse(json.ToJsonString()));
    }
}
