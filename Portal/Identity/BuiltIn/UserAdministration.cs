using System.Net.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Workflow;

namespace Portal.Identity.BuiltIn;

/// <summary>The outcome of a user command: the user and, for an invitation, the one-time enrolment link; or why not.</summary>
public sealed record UserCommandResult(bool Succeeded, string? Error, PortalUser? User, Uri? EnrolmentLink)
{
    public static UserCommandResult Fail(string error) => new(false, error, null, null);
}

/// <summary>A user as the admin pages list them.</summary>
public sealed record UserSummary(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, bool MfaEnrolled, bool Disabled, DateTimeOffset? LockedOutUntil);

/// <summary>
/// Managing the built-in provider's users (admin pages, CLI, demo). Invitations are one-time links: a password reset
/// token that becomes invalid once used (the security stamp changes) or after <c>Identity:InviteLifetime</c>.
/// </summary>
public sealed class UserAdministration(UserManager<PortalUser> users, RoleManager<IdentityRole> roleStore, PortalIdentityDbContext db, TimeProvider clock)
{
    /// <summary>The three portal roles as Identity roles; a concurrent creator winning the race is fine.</summary>
    public async Task EnsureRolesAsync()
    {
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
                    // Created meanwhile by another replica or start-up task: forget the failed insert, theirs stands.
                    db.ChangeTracker.Clear();
                }
            }
        }
    }

    public async Task<UserCommandResult> InviteAsync(string? email, string? displayName, IReadOnlyCollection<PortalRole> roles, Uri origin)
    {
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(origin);
        if (!IsEmail(email))
        {
            return UserCommandResult.Fail($"email: '{email}' is not an email address.");
        }

        if (roles.Count == 0)
        {
            return UserCommandResult.Fail("role: give at least one of Requester, Approver, Admin.");
        }

        var user = await users.FindByEmailAsync(email!);
        if (user is not null && (user.TwoFactorEnabled || await users.HasPasswordAsync(user)))
        {
            return UserCommandResult.Fail($"email: {email} already has an account; reset its MFA or disable it instead.");
        }

        await EnsureRolesAsync();
        if (user is null)
        {
            user = new PortalUser
            {
                UserName = email,
                Email = email,
                EmailConfirmed = true,
                DisplayName = string.IsNullOrWhiteSpace(displayName) ? email!.Split('@')[0] : displayName.Trim(),
                CreatedAt = clock.GetUtcNow(),
            };
            var created = await users.CreateAsync(user);
            if (!created.Succeeded)
            {
                return UserCommandResult.Fail(Describe(created));
            }
        }

        var missing = roles.Select(r => r.ToString()).Except(await users.GetRolesAsync(user)).ToList();
        if (missing.Count > 0)
        {
            var added = await users.AddToRolesAsync(user, missing);
            if (!added.Succeeded)
            {
                return UserCommandResult.Fail(Describe(added));
            }
        }

        return new UserCommandResult(true, null, user, await EnrolmentLinkAsync(user, origin));
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
                return UserCommandResult.Fail(Describe(created));
            }

            await users.AddToRoleAsync(user, role.ToString());
            return new UserCommandResult(true, null, user, null);
        }

        if (user.TwoFactorEnabled)
        {
            return new UserCommandResult(false, $"{email} has already enrolled an authenticator; its password is kept.", user, null);
        }

        await users.RemovePasswordAsync(user);
        var set = await users.AddPasswordAsync(user, password);
        return set.Succeeded ? new UserCommandResult(true, null, user, null) : UserCommandResult.Fail(Describe(set));
    }

    public async Task<Uri> EnrolmentLinkAsync(PortalUser user, Uri origin)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(origin);
        var token = await users.GeneratePasswordResetTokenAsync(user);
        return new Uri(origin, $"/account/invite?user={Uri.EscapeDataString(user.Id)}&token={Uri.EscapeDataString(token)}");
    }

    /// <summary>Forgets the user's authenticator and recovery codes: the next sign-in enrols a new one.</summary>
    public async Task<UserCommandResult> ResetMfaAsync(string userId)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return UserCommandResult.Fail("user: no such user.");
        }

        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
        await users.UpdateSecurityStampAsync(user);
        return new UserCommandResult(true, null, user, null);
    }

    public async Task<UserCommandResult> SetDisabledAsync(string userId, bool disabled)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return UserCommandResult.Fail("user: no such user.");
        }

        user.DisabledAt = disabled ? clock.GetUtcNow() : null;
        await users.UpdateAsync(user);
        await users.SetLockoutEndDateAsync(user, disabled ? DateTimeOffset.MaxValue : null);
        await users.UpdateSecurityStampAsync(user);
        return new UserCommandResult(true, null, user, null);
    }

    public async Task<IReadOnlyList<UserSummary>> ListAsync()
    {
        var list = new List<UserSummary>();
        foreach (var user in await users.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync())
        {
            var lockedUntil = user.LockoutEnd is { } end && end > clock.GetUtcNow() && user.DisabledAt is null ? end : (DateTimeOffset?)null;
            list.Add(new UserSummary(user.Id, user.Email ?? "", user.DisplayName, [.. await users.GetRolesAsync(user)], user.TwoFactorEnabled, user.DisabledAt is not null, lockedUntil));
        }

        return list;
    }

    public static bool IsEmail(string? email) =>
        !string.IsNullOrWhiteSpace(email) && email.Length <= 254 && MailAddress.TryCreate(email, out var parsed) && parsed.Address == email && email.Contains('@', StringComparison.Ordinal);

    private static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));
}
