using System.Text.Json.Nodes;
using Portal.Core.Health;

namespace Portal.Core.Notifications;

/// <summary>What a notification says: a one-line title, a sentence or two, and the page where the reader acts.</summary>
public sealed record NotificationMessage(NotificationKind Kind, string Title, string Text, Uri Link)
{
    /// <summary>
    /// Words the message for <paramref name="name"/> (the request's primary name). <paramref name="who"/> is the
    /// person who acted, <paramref name="reason"/> the reason or failure they gave.
    /// </summary>
    public static NotificationMessage Compose(NotificationKind kind, string name, string who, string? reason, Uri link)
    {
        var because = string.IsNullOrWhiteSpace(reason) ? "" : $" Reason: {reason.Trim()}";
        var (title, text) = kind switch
        {
            NotificationKind.ApprovalRequested => ($"Approval requested: {name}", $"{who} asks for approval of {name}. Review it and promote or reject it."),
            NotificationKind.TestingReady => ($"Testing is ready: {name}", $"The testing environment of {name} is deployed. Check it, then request approval."),
            NotificationKind.TestingFailed => ($"Testing failed: {name}", $"The testing deployment of {name} failed.{because}"),
            NotificationKind.Approved => ($"Approved: {name}", $"{who} approved {name}; production is being deployed.{because}"),
            NotificationKind.Rejected => ($"Rejected: {name}", $"{who} rejected {name}.{because}"),
            NotificationKind.ProductionLive => ($"Live: {name}", $"{name} is live in production."),
            NotificationKind.ProductionFailed => ($"Production failed: {name}", $"The production deployment of {name} failed.{because}"),
            NotificationKind.Decommissioned => ($"Decommissioned: {name}", $"{name} is decommissioned; its stacks are gone."),
            NotificationKind.DriftDetected => ($"Drift found: {name}", $"A stack of {name} no longer matches its template.{because}"),
            NotificationKind.HealthBad => ($"Health: {name}", string.IsNullOrWhiteSpace(reason) ? $"A health check of {name} found a problem." : reason.Trim()),
            _ => (name, name),
        };
        return new(kind, title, text, link);
    }

    /// <summary>Plain text for an email body: the text, then the link on its own line so mail clients make it clickable.</summary>
    public string EmailBody => $"{Text}\n\nOpen: {Link.AbsoluteUri}\n\nChoose which notifications you receive on the portal's notification settings page.";
}

/// <summary>The JSON shapes chat tools accept on their incoming webhooks.</summary>
public static class WebhookPayloads
{
    /// <summary>
    /// Slack's incoming webhook message: <c>text</c> is the fallback (and what notifications show), <c>blocks</c> the
    /// layout: a section in mrkdwn with the link as <c>&lt;url|label&gt;</c>.
    /// </summary>
    public static JsonObject Slack(NotificationMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = $"{message.Title}: {message.Text} {message.Link.AbsoluteUri}";
        return new JsonObject
        {
            ["text"] = text,
            ["blocks"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "section",
                    ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = $"*{SlackEscape(message.Title)}*\n{SlackEscape(message.Text)}" },
                },
                new JsonObject
                {
                    ["type"] = "section",
                    ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = $"<{message.Link.AbsoluteUri}|Open in the portal>" },
                }),
        };
    }

    /// <summary>
    /// Microsoft Teams (Workflows or an incoming webhook): a <c>message</c> whose <c>attachments</c> carry one Adaptive
    /// Card (version 1.4) with the title, the text and an <c>Action.OpenUrl</c> to the page.
    /// </summary>
    public static JsonObject Teams(NotificationMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["contentType"] = "application/vnd.microsoft.card.adaptive",
                ["contentUrl"] = null,
                ["content"] = new JsonObject
                {
                    ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
                    ["type"] = "AdaptiveCard",
                    ["version"] = "1.4",
                    ["body"] = new JsonArray(
                        new JsonObject { ["type"] = "TextBlock", ["text"] = message.Title, ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
                        new JsonObject { ["type"] = "TextBlock", ["text"] = message.Text, ["wrap"] = true }),
                    ["actions"] = new JsonArray(new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open in the portal", ["url"] = message.Link.AbsoluteUri }),
                },
            }),
        };
    }

    /// <summary>
    /// The generic JSON format: the event's own fields when it has them (<see cref="HealthAlertData"/>), else its kind,
    /// title and text; always with the link.
    /// </summary>
    public static JsonObject Json(NotificationMessage message, string? data)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = data is not null && JsonNode.Parse(data) is JsonObject fields
            ? fields
            : new JsonObject { ["kind"] = message.Kind.ToString(), ["title"] = message.Title, ["text"] = message.Text };
        body["link"] = message.Link.AbsoluteUri;
        return body;
    }

    /// <summary>A health alert's fields as the health alert webhook has always posted them (name, kind, condition, summary, at, findings).</summary>
    public static string HealthAlertData(HealthAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var findings = new JsonArray();
        foreach (var f in alert.Findings)
        {
            findings.Add(new JsonObject
            {
                ["id"] = f.Id,
                ["severity"] = f.Severity.ToString().ToLowerInvariant(),
                ["message"] = f.Message,
                ["reference"] = f.Reference,
            });
        }

        return new JsonObject
        {
            ["name"] = alert.Name,
            ["kind"] = alert.Kind.ToString().ToLowerInvariant(),
            ["condition"] = alert.Condition,
            ["summary"] = alert.Summary,
            ["at"] = alert.At,
            ["findings"] = findings,
        }.ToJsonString();
    }

    /// <summary>Slack's mrkdwn treats &amp;, &lt; and &gt; as control characters; a name or reason must not make a link.</summary>
    private static string SlackEscape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
