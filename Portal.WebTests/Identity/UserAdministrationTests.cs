using Portal.Identity.Settings;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Workflow;
using Portal.Identity;
using Portal.Identity.BuiltIn;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Identity;

/// <summary>
/// Administering the built-in provider's users is one use case, which the admin page and the <c>users</c> CLI verbs
/// both call: an invitation with a one-time link, a reset of MFA, disabling and enabling, the list; every refusal
/// says why, and with another identity provider there is nothing to administer.
/// </summary>
public sealed class UserAdministrationTests(UserAdministrationTests.PortalWithClock portal) : IClassFixture<UserAdministrationTests.PortalWithClock>
{
    private static readonly Uri ReachedAt = new("http://portal.test:8080/admin/users");

    /// <summary>The portal in memory with a clock the tests move.</summary>
    public sealed class PortalWithClock : IAsyncLifetime
    {
        private readonly PortalFactory _factory = new();

        public FakeTimeProvider Clock { get; } = new(TimeProvider.System.GetUtcNow());

        public WebApplicationFactory<Program> Host { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Host = _factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock)));
            foreach (var registration in Host.Services.GetServices<IHostedService>().OfType<BuiltInClientRegistration>())
            {
                await registration.Registered.WaitAsync(TimeSpan.FromSeconds(60));
            }
        }

        public async Task DisposeAsync() => await _factory.DisposeAsync();
    }

    [Fact]
    public async Task An_invitation_makes_a_user_with_the_roles_and_a_link_that_works_once()
    {
        await using var scope = portal.Host.Services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();

        var result = await admin.InviteAsync(new InviteUserCommand("  ines@example.test ", " ", [PortalRole.Requester, PortalRole.Approver], ReachedAt));

        Assert.True(result.Succeeded, result.Error);
        var user = result.User!;
        Assert.Equal(("ines@example.test", "ines", UserState.Invited), (user.Email, user.DisplayName, user.State));
        Assert.Equal(["Approver", "Requester"], user.Roles.Order(StringComparer.Ordinal));
        var link = result.Invitation!.Link;
        Assert.StartsWith($"http://portal.test:8080/account/invite?user={Uri.EscapeDataString(user.Id)}&token=", link.ToString(), StringComparison.Ordinal);
        Assert.Equal(scope.ServiceProvider.GetRequiredService<IOptions<BuiltInIdentityOptions>>().Value.InviteLifetime, result.Invitation.ValidFor);

        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var token = QueryHelpers.ParseQuery(link.Query)["token"].ToString();
        Assert.True((await users.ResetPasswordAsync((await users.FindByIdAsync(user.Id))!, token, "a long enough password")).Succeeded);
        Assert.False((await users.ResetPasswordAsync((await users.FindByIdAsync(user.Id))!, token, "another long password")).Succeeded);
    }

    [Fact]
    public async Task Links_point_at_the_configured_public_origin()
    {
        await using var proxied = new PortalFactory(new Dictionary<string, string?> { ["Authentication:PublicOrigin"] = "https://portal.example.org" });
        await using var scope = proxied.Services.CreateAsyncScope();

        var result = await scope.ServiceProvider.GetRequiredService<UserAdministration>()
            .InviteAsync(new InviteUserCommand("pia@example.test", "Pia Proxied", [PortalRole.Requester], ReachedAt));

        Assert.True(result.Succeeded, result.Error);
        Assert.StartsWith("https://portal.example.org/account/invite?user=", result.Invitation!.Link.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invitation_is_refused_with_the_reason_and_changes_nothing()
    {
        await using var scope = portal.Host.Services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        Assert.True((await admin.CreateWithPasswordAsync("erik@example.test", "Erik Enrolled", PortalRole.Requester, "erik's own password")).Succeeded);

        var notAnAddress = await admin.InviteAsync(new InviteUserCommand("not-an-address", null, [PortalRole.Requester], ReachedAt));
        var noRole = await admin.InviteAsync(new InviteUserCommand("nora@example.test", null, [], ReachedAt));
        var hasAnAccount = await admin.InviteAsync(new InviteUserCommand("erik@example.test", null, [PortalRole.Admin], ReachedAt));

        Assert.Equal("email: 'not-an-address' is not an email address.", notAnAddress.Error);
        Assert.Equal("role: give at least one of Requester, Approver, Admin.", noRole.Error);
        Assert.Equal("email: erik@example.test already has an account; reset its MFA or disable it instead.", hasAnAccount.Error);
        Assert.All(new[] { notAnAddress, noRole, hasAnAccount }, r =>
        {
            Assert.False(r.Succeeded);
            Assert.Null(r.User);
            Assert.Null(r.Invitation);
        });
        var listed = await admin.ListAsync();
        Assert.DoesNotContain(listed, u => u.Email == "nora@example.test");
        Assert.Equal(["Requester"], listed.Single(u => u.Email == "erik@example.test").Roles);
    }

    [Fact]
    public async Task Inviting_someone_again_before_they_enrol_adds_the_roles_and_gives_a_new_link()
    {
        await using var scope = portal.Host.Services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var first = await admin.InviteAsync(new InviteUserCommand("ida@example.test", "Ida Again", [PortalRole.Requester], ReachedAt));

        var second = await admin.InviteAsync(new InviteUserCommand("ida@example.test", "Ida Renamed", [PortalRole.Approver], ReachedAt));

        Assert.True(second.Succeeded, second.Error);
        Assert.Equal(first.User!.Id, second.User!.Id);
        Assert.Equal("Ida Again", second.User.DisplayName);
        Assert.Equal(["Approver", "Requester"], second.User.Roles.Order(StringComparer.Ordinal));
        Assert.NotEqual(first.Invitation!.Link, second.Invitation!.Link);
    }

    [Fact]
    public async Task A_reset_of_mfa_forgets_the_authenticator_so_the_next_sign_in_enrols_again()
    {
        await using var scope = portal.Host.Services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var id = (await admin.CreateWithPasswordAsync("mia@example.test", "Mia Mfa", PortalRole.Approver, "mia's own password")).User!.Id;
        var user = (await users.FindByIdAsync(id))!;
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        var key = await users.GetAuthenticatorKeyAsync(user);
        var stamp = await users.GetSecurityStampAsync(user);
        Assert.Equal(UserState.Active, (await admin.ListAsync()).Single(u => u.Id == id).State);

        var result = await admin.ResetMfaAsync(new ResetMfaCommand(UserKey.ByEmail("mia@example.test")));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal((UserState.Invited, false), (result.User!.State, result.User.MfaEnrolled));
        user = (await users.FindByIdAsync(id))!;
        Assert.NotEqual(key, await users.GetAuthenticatorKeyAsync(user));
        Assert.NotEqual(stamp, await users.GetSecurityStampAsync(user));
        Assert.Equal(0, await users.CountRecoveryCodesAsync(user));
        Assert.True(await users.CheckPasswordAsync(user, "mia's own password"));
    }

    [Fact]
    public async Task A_disabled_user_is_locked_out_from_that_moment_until_enabled_again()
    {
        await using var scope = portal.Host.Services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var id = (await admin.CreateWithPasswordAsync("dan@example.test", "Dan Disabled", PortalRole.Requester, "dan's own password")).User!.Id;
        var stamp = await users.GetSecurityStampAsync((await users.FindByIdAsync(id))!);

        var disabled = await admin.SetDisabledAsync(new SetUserDisabledCommand(UserKey.ById(id), Disabled: true));

        Assert.True(disabled.Succeeded, disabled.Error);
        Assert.Equal((UserState.Disabled, "disabled", (DateTimeOffset?)null), (disabled.User!.State, disabled.User.StateName, disabled.User.LockedOutUntil));
        var stored = (await users.FindByIdAsync(id))!;
        Assert.Equal(portal.Clock.GetUtcNow(), stored.DisabledAt);
        Assert.Equal(DateTimeOffset.MaxValue, stored.LockoutEnd);
        Assert.NotEqual(stamp, await users.GetSecurityStampAsync(stored));

        var enabled = await admin.SetDisabledAsync(new SetUserDisabledCommand(UserKey.ByEmail("dan@example.test"), Disabled: false));

        Assert.True(enabled.Succeeded, enabled.Error);
        Assert.Equal(UserState.Invited, enabled.User!.State);
        stored = (await users.FindByIdAsync(id))!;
        Assert.Null(stored.DisabledAt);
        Assert.False(await users.IsLockedOutAsync(stored));
    }

    [Fact]
    public async Task A_lockout_shows_until_it_ends_by_the_portals_clock()
    {
        await using var scope = portal.Host.Services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var id = (await admin.CreateWithPasswordAsync("lou@example.test", "Lou Locked", PortalRole.Requester, "lou's own password")).User!.Id;
        var until = portal.Clock.GetUtcNow().AddMinutes(10);
        await users.SetLockoutEndDateAsync((await users.FindByIdAsync(id))!, until);

        var locked = (await admin.ListAsync()).Single(u => u.Id == id);
        portal.Clock.Advance(TimeSpan.FromMinutes(11));
        var after = (await admin.ListAsync()).Single(u => u.Id == id);

        Assert.Equal((UserState.Locked, "locked", (DateTimeOffset?)until), (locked.State, locked.StateName, locked.LockedOutUntil));
        Assert.Equal((UserState.Invited, "invited", (DateTimeOffset?)null), (after.State, after.StateName, after.LockedOutUntil));
    }

    [Fact]
    public async Task A_command_about_someone_unknown_is_refused_naming_how_they_were_asked_for()
    {
        await using var scope = portal.Host.Services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();

        var byId = await admin.ResetMfaAsync(new ResetMfaCommand(UserKey.ById("no-such-id")));
        var byEmail = await admin.SetDisabledAsync(new SetUserDisabledCommand(UserKey.ByEmail("nobody@example.test"), Disabled: true));

        Assert.Equal((false, "user: no such user."), (byId.Succeeded, byId.Error));
        Assert.Equal((false, "email: no user nobody@example.test."), (byEmail.Succeeded, byEmail.Error));
    }

    [Fact]
    public async Task With_another_identity_provider_there_are_no_users_to_administer()
    {
        await using var generic = new PortalFactory(new Dictionary<string, string?>
        {
            ["Authentication:Authority"] = "https://idp.example.org",
            ["Authentication:ClientId"] = "portal",
        });
        await using var scope = generic.Services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        const string Refusal = "the portal signs in with Generic (Authentication:Authority or AzureAd:ClientId is set); manage users at that identity provider.";

        var invited = await admin.InviteAsync(new InviteUserCommand("gus@example.test", null, [PortalRole.Admin], ReachedAt));
        var reset = await admin.ResetMfaAsync(new ResetMfaCommand(UserKey.ByEmail("gus@example.test")));
        var disabled = await admin.SetDisabledAsync(new SetUserDisabledCommand(UserKey.ByEmail("gus@example.test"), Disabled: true));

        Assert.All(new[] { invited, reset, disabled }, r => Assert.Equal((false, Refusal), (r.Succeeded, r.Error)));
        Assert.Empty(await admin.ListAsync());
        Assert.Null(UserAdministration.Unavailable(new PortalAuthenticationOptions()));
        Assert.StartsWith("the portal signs in with Entra", UserAdministration.Unavailable(new PortalAuthenticationOptions { EntraConfigured = true }), StringComparison.Ordinal);
    }
}
