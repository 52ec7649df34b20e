namespace Portal.Core.Notifications;

public enum DeliveryStatus
{
    /// <summary>Waiting for its next attempt at <see cref="NotificationDelivery.NextAttemptAt"/>.</summary>
    Pending,

    /// <summary>Claimed by a dispatcher until <see cref="NotificationDelivery.NextAttemptAt"/>; due again if that replica died.</summary>
    Sending,
    Sent,

    /// <summary>Every attempt failed; admins see it with the last error.</summary>
    Failed,
}

/// <summary>
/// One message to one recipient over one channel: the outbox row. Created from an event (exactly once per source,
/// channel and recipient, by a unique index), then claimed and sent by one dispatcher, retried with backoff.
/// </summary>
public sealed class NotificationDelivery
{
    public Guid Id { get; set; }

    /// <summary>What caused it: <c>audit:&lt;event id&gt;</c> or <c>health:&lt;target&gt;:&lt;condition&gt;:&lt;time&gt;</c>.</summary>
    public string SourceKey { get; set; } = "";

    public NotificationKind Kind { get; set; }

    public NotificationChannel Channel { get; set; }

    /// <summary>An email address, or the name of a configured webhook (its URL stays in configuration).</summary>
    public string Recipient { get; set; } = "";

    /// <summary>The person's id for a personal channel; null for a team webhook or a fixed alert address.</summary>
    public string? PersonId { get; set; }

    public Guid? RequestId { get; set; }

    public string Title { get; set; } = "";

    public string Text { get; set; } = "";

    public string Link { get; set; } = "";

    /// <summary>
    /// The event's own fields as JSON, for webhooks in the generic <see cref="WebhookFormat.Json"/> format: a health
    /// alert's name, kind, condition, summary, time and findings. Null for events told by their message alone.
    /// </summary>
    public string? Data { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DeliveryStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>Bumped by every claim: a claim is a conditional update on the version the dispatcher read.</summary>
    public int ClaimVersion { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public string? LastError { get; set; }

    public NotificationMessage Message => new(Kind, Title, Text, new Uri(Link));
}

/// <summary>A person as last seen at sign-in, with their notification choices.</summary>
public sealed class NotificationPersonRecord
{
    public string Id { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public string? Email { get; set; }

    public bool IsApprover { get; set; }

    /// <summary>Switched-off (kind, channel) pairs as <see cref="NotificationPreferences.Serialize"/> writes them.</summary>
    public string Off { get; set; } = "";

    public DateTimeOffset SeenAt { get; set; }

    public NotificationPerson ToPerson() => new(Id, DisplayName, Email, IsApprover, NotificationPreferences.Parse(Off));
}

/// <summary>A source (an audit event) whose deliveries were created; its key makes a second creation fail.</summary>
public sealed class NotificationSource
{
    public string Key { get; set; } = "";

    public DateTimeOffset At { get; set; }
}
