using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Portal.Identity.BuiltIn;

/// <summary>
/// A person's command-line sign-in (device code, then refresh tokens) as a bounded session: each refresh token lasts
/// <see cref="BuiltInIdentityOptions.CommandLineIdleLifetime"/> (OpenIddict rotates it at every use and revokes the
/// chain if a used one comes back), and none outlives <see cref="BuiltInIdentityOptions.CommandLineMaxLifetime"/> after
/// the device code was confirmed. A refresh also asks the account again: disabled, locked or without an authenticator
/// ends the session, and the new access token carries the roles the person has now.
/// </summary>
internal sealed class CommandLineSessions(UserManager<PortalUser> users, TimeProvider clock, IOptions<BuiltInIdentityOptions> settings)
    : IOpenIddictServerHandler<HandleTokenRequestContext>
{
    /// <summary>When the person confirmed the device code (Unix seconds); only in refresh tokens, never in access tokens.</summary>
    public const string StartedClaim = "portal_cli_started";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleTokenRequestContext>()
            .UseScopedHandler<CommandLineSessions>()
            .SetOrder(OpenIddictServerHandlers.Exchange.AttachPrincipal.Descriptor.Order + 400)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(HandleTokenRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var refresh = context.Request.IsRefreshTokenGrantType();
        if (!(refresh || context.Request.IsDeviceCodeGrantType()) || context.Principal is not { } principal)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var options = settings.Value;
        DateTimeOffset started;
        if (refresh)
        {
            if (!long.TryParse(principal.GetClaim(StartedClaim), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
            {
                context.Reject(Errors.InvalidGrant, "This sign-in has no start time: sign in again.");
                return;
            }

            started = DateTimeOffset.FromUnixTimeSeconds(seconds);
        }
        else
        {
            started = now;
            principal.SetClaim(StartedClaim, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        }

        var remaining = started + options.CommandLineMaxLifetime - now;
        if (remaining <= TimeSpan.Zero)
        {
            context.Reject(Errors.InvalidGrant, $"This command-line sign-in is older than {Describe(options.CommandLineMaxLifetime)}, the longest the portal allows: sign in again.");
            return;
        }

        if (refresh)
        {
            var user = await users.FindByIdAsync(principal.GetClaim(Claims.Subject) ?? "");
            if (user is null || user.DisabledAt is not null || !user.TwoFactorEnabled || await users.IsLockedOutAsync(user))
            {
                context.Reject(Errors.InvalidGrant, "The account can no longer sign in (disabled, locked or without an authenticator): sign in again.");
                return;
            }

            principal.SetClaims(Claims.Role, [.. await users.GetRolesAsync(user)]);
            principal.SetDestinations(AuthorizationEndpoints.PersonDestinations);
        }

        principal.SetRefreshTokenLifetime(remaining < options.CommandLineIdleLifetime ? remaining : options.CommandLineIdleLifetime);
    }

    private static string Describe(TimeSpan span) =>
        span.TotalDays >= 1 && span.Hours == 0 && span.Minutes == 0 ? $"{span.TotalDays:0} days" : span.ToString("g", CultureInfo.InvariantCulture);
}
