using Portal.Core.Notifications;

namespace Portal.Tests.Notifications;

/// <summary>Who receives what: approvers for approval requests (never the requester or the last editor), the owner and watchers otherwise, each as they chose.</summary>
public sealed class NotificationRecipientTests
{
    private static readonly NotificationPerson Alice = Person("alice", isApprover: false);
    private static readonly NotificationPerson Bob = Person("bob", isApprover: true);
    private static readonly NotificationPerson Carol = Person("carol", isApprover: true);
    private static readonly NotificationPerson Dana = Person("dana", isApprover: true);
    private static readonly NotificationPerson Walt = Person("walt", isApprover: false);

    [Fact]
    public void An_approval_request_goes_to_approvers_other_than_the_owner_and_the_last_editor()
    {
        // Dana, an approver, owns the request; Carol, an approver, edited it last; Alice asked for approval.
        var subject = new NotificationSubject(OwnerId: "dana", LastEditorId: "carol", ActorId: "alice", Watchers: ["walt"]);

        var to = NotificationRecipients.For(NotificationKind.ApprovalRequested, subject, [Alice, Bob, Carol, Dana, Walt]);

        Assert.Equal(["bob@example.test"], to.Select(d => d.Address));
        Assert.All(to, d => Assert.Equal(NotificationChannel.Email, d.Channel));
    }

    [Fact]
    public void An_approver_who_asked_for_approval_of_their_own_request_is_not_told()
    {
        var subject = new NotificationSubject("bob", "bob", "bob", []);

        var to = NotificationRecipients.For(NotificationKind.ApprovalRequested, subject, [Bob, Carol]);

        Assert.Equal(["carol"], to.Select(d => d.Person.Id));
    }

    [Fact]
    public void A_rejection_goes_to_the_owner_and_watchers_not_to_the_approver_who_rejected()
    {
        var subject = new NotificationSubject("alice", "alice", "bob", ["walt", "bob"]);

        var to = NotificationRecipients.For(NotificationKind.Rejected, subject, [Alice, Bob, Carol, Walt]);

        Assert.Equal(["alice", "walt"], to.Select(d => d.Person.Id));
    }

    [Fact]
    public void A_person_who_switched_a_kind_off_does_not_receive_it_but_still_receives_the_others()
    {
        var quiet = Alice with { Preferences = NotificationPreferences.Default.With(NotificationKind.TestingReady, NotificationChannel.Email, wanted: false) };
        var subject = new NotificationSubject("alice", "alice", "system", []);

        Assert.Empty(NotificationRecipients.For(NotificationKind.TestingReady, subject, [quiet]));
        Assert.Single(NotificationRecipients.For(NotificationKind.TestingFailed, subject, [quiet]));
    }

    [Fact]
    public void An_approver_who_switched_approval_requests_off_is_not_asked()
    {
        var quiet = Carol with { Preferences = NotificationPreferences.Default.With(NotificationKind.ApprovalRequested, NotificationChannel.Email, wanted: false) };

        var to = NotificationRecipients.For(NotificationKind.ApprovalRequested, new("alice", "alice", "alice", []), [Bob, quiet]);

        Assert.Equal(["bob"], to.Select(d => d.Person.Id));
    }

    [Fact]
    public void A_person_without_an_email_address_gets_no_email()
    {
        var noAddress = Alice with { Email = " " };

        Assert.Empty(NotificationRecipients.For(NotificationKind.ProductionLive, new("alice", null, "system", []), [noAddress]));
    }

    [Fact]
    public void Preferences_survive_storage_and_ignore_names_they_do_not_know()
    {
        var chosen = NotificationPreferences.Default
            .With(NotificationKind.Rejected, NotificationChannel.Email, false)
            .With(NotificationKind.HealthBad, NotificationChannel.Email, false);

        var read = NotificationPreferences.Parse(chosen.Serialize() + ",Gone:Email,Rejected:Pigeon");

        Assert.Equal("Rejected:Email,HealthBad:Email", chosen.Serialize());
        Assert.False(read.Wants(NotificationKind.Rejected, NotificationChannel.Email));
        Assert.False(read.Wants(NotificationKind.HealthBad, NotificationChannel.Email));
        Assert.True(read.Wants(NotificationKind.Approved, NotificationChannel.Email));
    }

    private static NotificationPerson Person(string id, bool isApprover) =>
        new(id, id, $"{id}@example.test", isApprover, NotificationPreferences.Default);
}
