using Portal.Core.Workflow;

namespace Portal.Core.Notifications;

/// <summary>A person the portal knows from their sign-in: where to reach them, whether they approve, and what they want.</summary>
public sealed record NotificationPerson(string Id, string DisplayName, string? Email, bool IsApprover, NotificationPreferences Preferences);

/// <summary>
/// The request an event is about, as far as deciding who hears of it goes. <paramref name="ActorId"/> did what happened;
/// <paramref name="Watchers"/> are people who put the request's names on the health watch list.
/// </summary>
public sealed record NotificationSubject(string OwnerId, string? LastEditorId, string ActorId, IReadOnlyCollection<string> Watchers);

/// <summary>One person, by one of their channels, at one address.</summary>
public sealed record PersonalDelivery(NotificationPerson Person, NotificationChannel Channel, string Address);

/// <summary>Who receives what.</summary>
public static class NotificationRecipients
{
    /// <summary>
    /// An approval request goes to approvers who may act on it: never the owner, the last editor or the person who asked
    /// (separation of duties means they could not approve anyway). Everything else goes to the owner and the request's
    /// watchers. Nobody is told of their own action, and each person's preferences decide per channel.
    /// </summary>
    public static IReadOnlyList<PersonalDelivery> For(NotificationKind kind, NotificationSubject subject, IEnumerable<NotificationPerson> people)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(people);
        var known = people.GroupBy(p => p.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        IEnumerable<NotificationPerson> audience = kind == NotificationKind.ApprovalRequested
            ? known.Values.Where(p => p.IsApprover && p.Id != subject.OwnerId && p.Id != subject.LastEditorId)
            : new[] { subject.OwnerId }.Concat(subject.Watchers).Distinct(StringComparer.Ordinal)
                .Select(id => known.GetValueOrDefault(id)).OfType<NotificationPerson>();

        var deliveries = new List<PersonalDelivery>();
        foreach (var person in audience.Where(p => p.Id != subject.ActorId && p.Id != Actor.SystemId).OrderBy(p => p.Id, StringComparer.Ordinal))
        {
            foreach (var channel in NotificationPreferences.PersonalChannels)
            {
                if (person.Preferences.Wants(kind, channel) && AddressOf(person, channel) is { } address)
                {
                    deliveries.Add(new(person, channel, address));
                }
            }
        }

        return deliveries;
    }

    private static string? AddressOf(NotificationPerson person, NotificationChannel channel) => channel switch
    {
        NotificationChannel.Email => string.IsNullOrWhiteSpace(person.Email) ? null : person.Email.Trim(),
        _ => null,
    };
}
