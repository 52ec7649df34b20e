using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Teams;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Teams;

/// <summary>
/// Every change an admin makes to teams, members, per-team approvers and allowed zones is an admin audit event naming
/// who did what to which; a change that changes nothing (adding a member twice) records nothing.
/// </summary>
public sealed class TeamAdminChangesAreAuditedTests : IAsyncLifetime
{
    private PortalComponentContext _portal = default!;

    private TeamAdministration Admin => _portal.Bunit.Services.GetRequiredService<TeamAdministration>();

    public async Task InitializeAsync() => _portal = await PortalComponentContext.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task Creating_renaming_members_approvers_and_zone_grants_are_each_recorded()
    {
        var dana = TestActors.Dana;
        Assert.True((await Admin.SaveTeamAsync(dana, "web", "Web")).Succeeded);
        _portal.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await Admin.SaveTeamAsync(dana, "web", "Web platform")).Succeeded);
        _portal.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await Admin.AddMemberAsync(dana, "web", "alice", "Alice Requester")).Succeeded);
        _portal.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await Admin.AddMemberAsync(dana, "web", "alice", "Alice Requester")).Succeeded);
        _portal.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await Admin.AddApproverAsync(dana, "web", "carol", "Carol Approver")).Succeeded);
        _portal.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await Admin.AllowZoneAsync(dana, TestSpecs.ZoneId, TestSpecs.ZoneName, "web")).Succeeded);
        _portal.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await Admin.RevokeZoneAsync(dana, TestSpecs.ZoneId, "web")).Succeeded);
        _portal.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await Admin.RemoveApproverAsync(dana, "web", "carol")).Succeeded);
        _portal.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await Admin.RemoveMemberAsync(dana, "web", "alice")).Succeeded);
        _portal.Clock.Advance(TimeSpan.FromSeconds(1));

        var changes = (await Admin.RecentChangesAsync(50)).Reverse().Select(c => (c.ActorName, c.Action, c.Subject, c.Detail)).ToList();
        Assert.Equal(
        [
            ("Dana Admin", "CreateTeam", "team web", "Web"),
            ("Dana Admin", "RenameTeam", "team web", "Web → Web platform"),
            ("Dana Admin", "AddMember", "team web", "member Alice Requester (alice)"),
            ("Dana Admin", "AddApprover", "team web", "approver Carol Approver (carol)"),
            ("Dana Admin", "AllowZone", $"zone {TestSpecs.ZoneName} ({TestSpecs.ZoneId})", "to team web"),
            ("Dana Admin", "RevokeZone", $"zone {TestSpecs.ZoneName} ({TestSpecs.ZoneId})", "from team web"),
            ("Dana Admin", "RemoveApprover", "team web", "approver Carol Approver (carol)"),
            ("Dana Admin", "RemoveMember", "team web", "member Alice Requester (alice)"),
        ], changes);
    }
}
