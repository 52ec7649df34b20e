namespace Portal.Core.Notifications;

/// <summary>
/// What one person chose to receive, per kind and channel. Everything is on until switched off, so a new kind reaches
/// people without each of them opting in. Stored as the list of switched-off pairs ("Rejected:Email,...").
/// </summary>
public sealed record NotificationPreferences(IReadOnlySet<(NotificationKind Kind, NotificationChannel Channel)> Off)
{
    public static NotificationPreferences Default { get; } = new(new HashSet<(NotificationKind, NotificationChannel)>());

    /// <summary>Channels a person can choose for themselves; webhooks are team channels an admin configures.</summary>
    public static IReadOnlyList<NotificationChannel> PersonalChannels { get; } = [NotificationChannel.Email];

    public bool Wants(NotificationKind kind, NotificationChannel channel) => !Off.Contains((kind, channel));

    public NotificationPreferences With(NotificationKind kind, NotificationChannel channel, bool wanted)
    {
        var off = new HashSet<(NotificationKind, NotificationChannel)>(Off);
        if (wanted)
        {
            off.Remove((kind, channel));
        }
        else
        {
            off.Add((kind, channel));
        }

        return new(off);
    }

    public string Serialize() => string.Join(',', Off.OrderBy(p => p.Kind).ThenBy(p => p.Channel).Select(p => $"{p.Kind}:{p.Channel}"));

    /// <summary>Reads what <see cref="Serialize"/> wrote; names it does not know (a kind since removed) are ignored.</summary>
    public static NotificationPreferences Parse(string? stored)
    {
        var off = new HashSet<(NotificationKind, NotificationChannel)>();
        foreach (var pair in (stored ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split(':');
            if (parts.Length == 2 && Enum.TryParse<NotificationKind>(parts[0], out var kind) && Enum.TryParse<NotificationChannel>(parts[1], out var channel))
            {
                off.Add((kind, channel));
            }
        }

        return new(off);
    }
}
