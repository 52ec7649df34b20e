using Portal.Identity.Settings;
using System.Net.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Workflow;

namespace Portal.Identity.BuiltIn;

/// <summary>Which user a command is about: a row of the admin page names the user by id, the CLI by email.</summary>
public sealed record UserKey
{
    private UserKey(string? id, string? email)
    {
        Id = id;
        Email = email;
    }

    public string? Id { get; }

    public string? Email { get; }

    public static UserKey ById(string id) => new(id ?? throw new ArgumentNullException(nameof(id)), null);

    public static UserKey ByEmail(string email) => new(null, email ?? throw new ArgumentNullException(nameof(email)));
}

/// <summary>
/// Invite a person with <paramref name="Roles"/>: a new user, or one invited before who has not enrolled yet (who gains
/// the roles), and a one-time enrolment link. <paramref name="Origin"/> is where the caller was reached (the browser's
/// base address, the CLI's listening address); <c>Authentication:PublicOrigin</c> wins over it when set.
/// </summary>
/// <paramref name="By"/> names the admin for the audit entry (the CLI leaves it out).
public sealed record InviteUserCommand(string? Email, string? DisplayName, IReadOnlyCollection<PortalRole> Roles, Uri Origin, string? By = null);

/// <summary>Forget a user's authenticator and recovery codes: their next sign-in enrols a new one.</summary>
public sealed record ResetMfaCommand(UserKey User, string? By = null);

/// <summary>Disable a user (no sign-in, open sessions end) or enable them again.</summary>
public sealed record SetUserDisabledCommand(UserKey User, bool Disabled, string? By = null);

/// <summary>Where a user stands: invited (no authenticator yet), active, locked out for a while, or disabled by an admin.</summary>
public enum UserState
{
    Invited,
    Active,
    Locked,
    Disabled,
}

/// <summary>A user as the admin page and the CLI list them.</summary>
public sealed record UserSummary(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, bool MfaEnrolled, bool Disabled, DateTimeOffset? LockedOutUntil)
{
    public UserState State => Disabled ? UserState.Disabled : LockedOutUntil is not null ? UserState.Locked : MfaEnrolled ? UserState.Active : UserState.Invited;

    /// <summary>The state as one word: <c>invited</c>, <c>active</c>, <c>locked</c> or <c>disabled</c>.</summary>
    public string StateName => State switch
    {
        UserState.Disabled => "disabled",
        UserState.Locked => "locked",
        UserState.Active => "active",
        _ => "invited",
    };
}

/// <summary>A one-time enrolment link and how long it works.</summary>
public sealed record UserInvitation(Uri Link, TimeSpan ValidFor);

/// <summary>The outcome of a user command: the user as it is now and, for an invitation, the link; or why not.</summary>
public sealed record UserCommandResult(bool Succeeded, string? Error, UserSummary? User, UserInvitation? Invitation)
{
    public static UserCommandResult Done(UserSummary user, UserInvitation? invitation = null) => new(true, null, user, invitation);

    public static UserCommandResult Refused(string error) => new(false, error, null, null);
}

/// <summary>
/// Administering the built-in provider's users, the one home of these use cases for the admin page, the CLI and the
/// demo start. Invitations are one-time links: a password reset token that becomes invalid once used (the security
/// stamp changes) or after <c>Identity:InviteLifetime</c>. Only the built-in provider's users are the portal's to
/// manage: with another provider the commands are refused.
/// <para>
/// It does not ask who is calling: the admin page requires the Admin policy, and the CLI runs on the portal's host
/// with the database's credentials. Nothing else may call the commands on someone's behalf.
/// </para>
/// </summary>
public sealed class UserAdministration(
    UserManager<PortalUser> users,
    RoleManager<IdentityRole> roleStore,
    PortalIdentityDbContext db,
    TimeProvider clock,
    IOptions<PortalAuthenticationOptions> authentication,
    IOptions<BuiltInIdentityOptions> identity,
    SessionRevocation revocation,
    SecurityAudit audit,
    RoleSeeding roleSeeding)
{
    /// <summary>Who made a change when the caller does not say: the command line on the portal's host.</summary>
    public const string CommandLine = "cli";

    /// <summary>Why users cannot be administered in the portal with these settings, or null when they can (the built-in provider).</summary>
    public static string? Unavailable(PortalAuthenticationOptions settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Mode == IdentityProviderMode.BuiltIn
            ? null
            : $"the portal signs in with {settings.Mode} (Authentication:Authority or AzureAd:ClientId is set); manage users at that identity provider.";
    }

    /// <summary>
    /// The three portal roles as Identity roles. The start-up tasks (the client registration, the demo users) call this
    /// at the same moment on a new database: one at a time in this process, so the later one finds the roles instead of
    /// failing to insert them again; another replica winning the race is still fine.
    /// </summary>
    public async Task EnsureRolesAsync()
    {
        await using var _ = await roleSeeding.EnterAsync();
        foreach (var role in Enum.GetNames<PortalRole>())
        {
            if (!await roleStore.RoleExistsAsync(role))
            {
                try
                {
                    await roleStore.CreateAsync(new IdentityRole(role));
                }
                catch (DbUpdateException)
                {
                    // Created meanwhile by another replica: forget the failed insert, theirs stands.
                    db.ChangeTracker.Clear();
                }
            }
        }
    }

    public async Task<UserCommandResult> InviteAsync(InviteUserCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(command.Roles);
        ArgumentNullException.ThrowIfNull(command.Origin);
        if (Unavailable(authentication.Value) is { } unavailable)
        {
            return UserCommandResult.Refused(unavailable);
        }

        var email = command.Email?.Trim();
        if (!IsEmail(email))
        {
            return UserCommandResult.Refused($"email: '{email}' is not an email address.");
        }

        if (command.Roles.Count == 0)
        {
            return UserCommandResult.Refused("role: give at least one of Requester, Approver, Admin.");
        }

        var user = await users.FindByEmailAsync(email!);
        if (user is not null && (user.TwoFactorEnabled || await users.HasPasswordAsync(user)))
        {
            return UserCommandResult.Refused($"email: {email} already has an account; reset its MFA or disable it instead.");
        }

        await EnsureRolesAsync();
        var invited = user is null;
        if (user is null)
        {
            user = new PortalUser
            {
                UserName = email,
                Email = email,
                EmailConfirmed = true,
                DisplayName = string.IsNullOrWhiteSpace(command.DisplayName) ? email!.Split('@')[0] : command.DisplayName.Trim(),
                CreatedAt = clock.GetUtcNow(),
            };
            var created = await users.CreateAsync(user);
            if (!created.Succeeded)
            {
                return UserCommandResult.Refused(Describe(created));
            }
        }

        var missing = command.Roles.Select(r => r.ToString()).Except(await users.GetRolesAsync(user)).ToList();
        if (missing.Count > 0)
        {
            var added = await users.AddToRolesAsync(user, missing);
            if (!added.Succeeded)
            {
                return UserCommandResult.Refused(Describe(added));
            }

            if (!invited)
            {
                await audit.RecordAsync(SecurityEventKind.UserRolesChanged, user.Id, user.Email, "added " + string.Join(", ", missing), command.By ?? CommandLine);
            }
        }

        await audit.RecordAsync(SecurityEventKind.UserInvited, user.Id, user.Email, string.Join(", ", command.Roles.Order()), command.By ?? CommandLine);

        var token = await users.GeneratePasswordResetTokenAsync(user);
        var link = new Uri(LinkOrigin(command.Origin), $"/account/invite?user={Uri.EscapeDataString(user.Id)}&token={Uri.EscapeDataString(token)}");
        return UserCommandResult.Done(await SummaryAsync(user), new UserInvitation(link, identity.Value.InviteLifetime));
    }

    /// <summary>Creates (or resets, while not yet enrolled) a user with a password; TOTP enrolment follows at first sign-in.</summary>
    public async Task<UserCommandResult> CreateWithPasswordAsync(string email, string displayName, PortalRole role, string password)
    {
        await EnsureRolesAsync();
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName, CreatedAt = clock.GetUtcNow() };
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                return UserCommandResult.Refused(Describe(created));
            }

            await users.AddToRoleAsync(user, role.ToString());
            return UserCommandResult.Done(await SummaryAsync(user));
        }

        if (user.TwoFactorEnabled)
        {
            return new UserCommandResult(false, $"{email} has already enrolled an authenticator; its password is kept.", await SummaryAsync(user), null);
        }

        await users.RemovePasswordAsync(user);
        var set = await users.AddPasswordAsync(user, password);
        return set.Succeeded ? UserCommandResult.Done(await SummaryAsync(user)) : UserCommandResult.Refused(Describe(set));
    }

    /// <summary>Forgets the user's authenticator and recovery codes: the next sign-in enrols a new one.</summary>
    public async Task<UserCommandResult> ResetMfaAsync(ResetMfaCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var (user, refused) = await FindAsync(command.User);
        if (user is null)
        {
            return refused!;
        }

        // The spent steps belonged to the old key: the new authenticator's first code must work, even in the same 30 seconds.
        user.LastTotpStep = null;
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
        await users.UpdateSecurityStampAsync(user);

        // Whoever holds the old authenticator may be signed in with it right now: end that at once.
        var ended = await revocation.RevokeUserAsync(user.Id);
        await audit.RecordAsync(SecurityEventKind.UserMfaReset, user.Id, user.Email, $"{ended} sessions ended, tokens revoked", command.By ?? CommandLine);
        return UserCommandResult.Done(await SummaryAsync(user));
    }

    /// <summary>Disables a user (locked out for good, every session and token of theirs revoked at once) or enables them again.</summary>
    public async Task<UserCommandResult> SetDisabledAsync(SetUserDisabledCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var (user, refused) = await FindAsync(command.User);
        if (user is null)
        {
            return refused!;
        }

        user.DisabledAt = command.Disabled ? clock.GetUtcNow() : null;
        await users.UpdateAsync(user);
        await users.SetLockoutEndDateAsync(user, command.Disabled ? DateTimeOffset.MaxValue : null);
        await users.UpdateSecurityStampAsync(user);
        if (command.Disabled)
        {
            var ended = await revocation.RevokeUserAsync(user.Id);
            await audit.RecordAsync(SecurityEventKind.UserDisabled, user.Id, user.Email, $"{ended} sessions ended, tokens revoked", command.By ?? CommandLine);
        }
        else
        {
            await audit.RecordAsync(SecurityEventKind.UserEnabled, user.Id, user.Email, null, command.By ?? CommandLine);
        }

        return UserCommandResult.Done(await SummaryAsync(user));
    }

    /// <summary>Every user by email.</summary>
    public async Task<IReadOnlyList<UserSummary>> ListAsync()
    {
        var list = new List<UserSummary>();
        foreach (var user in await users.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync())
        {
            list.Add(await SummaryAsync(user));
        }

        return list;
    }

    public static bool IsEmail(string? email) =>
        !string.IsNullOrWhiteSpace(email) && email.Length <= 254 && MailAddress.TryCreate(email, out var parsed) && parsed.Address == email && email.Contains('@', StringComparison.Ordinal);

    private async Task<(PortalUser? User, UserCommandResult? Refused)> FindAsync(UserKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (Unavailable(authentication.Value) is { } unavailable)
        {
            return (null, UserCommandResult.Refused(unavailable));
        }

        if (key.Email is { } email)
        {
            return await users.FindByEmailAsync(email) is { } byEmail ? (byEmail, null) : (null, UserCommandResult.Refused($"email: no user {email}."));
        }

        return await users.FindByIdAsync(key.Id!) is { } byId ? (byId, null) : (null, UserCommandResult.Refused("user: no such user."));
    }

    private async Task<UserSummary> SummaryAsync(PortalUser user)
    {
        var lockedUntil = user.LockoutEnd is { } end && end > clock.GetUtcNow() && user.DisabledAt is null ? end : (DateTimeOffset?)null;
        return new UserSummary(user.Id, user.Email ?? "", user.DisplayName, [.. await users.GetRolesAsync(user)], user.TwoFactorEnabled, user.DisabledAt is not null, lockedUntil);
    }

    /// <summary>Links point at the configured public origin when there is one (behind a proxy), else where the caller was reached.</summary>
    private Uri LinkOrigin(Uri reachedAt) =>
        authentication.Value.PublicOrigin is { Length: > 0 } configured && Uri.TryCreate(configured, UriKind.Absolute, out var origin) ? origin : reachedAt;

    private static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));
}
