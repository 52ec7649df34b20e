using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;

namespace Portal.Identity.BuiltIn;

/// <summary>
/// A sign-in session kept in the database (the portal's session and the built-in provider's own): the cookie carries
/// only a random key, so removing the row ends the session for every copy of the cookie, on every replica.
/// </summary>
public sealed class StoredSession
{
    /// <summary>SHA-256 of the key in the cookie: a copy of the table alone does not let anyone present a session.</summary>
    public string KeyHash { get; set; } = "";

    /// <summary>Which cookie: the portal's session or the provider's.</summary>
    public string Scheme { get; set; } = "";

    /// <summary>The user (<c>sub</c> of the provider, or the built-in provider's user id), so all their sessions can be ended.</summary>
    public string Subject { get; set; } = "";

    /// <summary>The authentication ticket, protected with Data Protection.</summary>
    public byte[] Ticket { get; set; } = [];

    public long CreatedAt { get; set; }

    /// <summary>Unix seconds after which the row is worthless (pruned); plain numbers so both databases compare them.</summary>
    public long ExpiresAt { get; set; }
}

/// <summary>The cookie handlers' <see cref="ITicketStore"/> over <see cref="StoredSession"/> rows.</summary>
public sealed class DatabaseTicketStore(IServiceScopeFactory scopes, IDataProtectionProvider protection, TimeProvider clock, string scheme) : ITicketStore
{
    private readonly IDataProtector _protector = protection.CreateProtector("Portal.Identity.Sessions", scheme);

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var key = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalIdentityDbContext>();
        db.Sessions.Add(new StoredSession
        {
            KeyHash = Hash(key),
            Scheme = scheme,
            Subject = SubjectOf(ticket.Principal),
            Ticket = _protector.Protect(TicketSerializer.Default.Serialize(ticket)),
            CreatedAt = clock.GetUtcNow().ToUnixTimeSeconds(),
            ExpiresAt = ExpiryOf(ticket),
        });
        await db.SaveChangesAsync();
        return key;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var hash = Hash(key);
        var bytes = _protector.Protect(TicketSerializer.Default.Serialize(ticket));
        var expires = ExpiryOf(ticket);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalIdentityDbContext>();

        // Only a session that still exists is renewed: a renewal never brings back a revoked one.
        await db.Sessions.Where(s => s.KeyHash == hash && s.Scheme == scheme)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Ticket, bytes).SetProperty(s => s.ExpiresAt, expires));
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        var hash = Hash(key);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalIdentityDbContext>();
        var row = await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.KeyHash == hash && s.Scheme == scheme);
        if (row is null || row.ExpiresAt <= clock.GetUtcNow().ToUnixTimeSeconds())
        {
            return null;
        }

        try
        {
            return TicketSerializer.Default.Deserialize(_protector.Unprotect(row.Ticket));
        }
        catch (CryptographicException)
        {
            // Protected with a key that is gone: the session cannot be read, so it has ended.
            return null;
        }
    }

    public async Task RemoveAsync(string key)
    {
        var hash = Hash(key);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalIdentityDbContext>();
        await db.Sessions.Where(s => s.KeyHash == hash && s.Scheme == scheme).ExecuteDeleteAsync();
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key ?? "")));

    private long ExpiryOf(AuthenticationTicket ticket) =>
        (ticket.Properties.ExpiresUtc ?? clock.GetUtcNow().AddDays(1)).ToUnixTimeSeconds();

    /// <summary>The portal session names the person by <c>sub</c>; ASP.NET Core Identity's cookie by its name-identifier claim.</summary>
    private static string SubjectOf(ClaimsPrincipal principal) =>
        principal.FindFirst(OpenIddictConstants.Claims.Subject)?.Value ?? principal.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "";
}

/// <summary>Ends everything a user holds: portal and provider sessions, and the provider's authorizations and tokens.</summary>
public sealed class SessionRevocation(PortalIdentityDbContext db, IOpenIddictAuthorizationManager authorizations, IOpenIddictTokenManager tokens)
{
    public async Task<long> RevokeUserAsync(string subject, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var sessions = await db.Sessions.Where(s => s.Subject == subject).ExecuteDeleteAsync(cancellationToken);
        await authorizations.RevokeBySubjectAsync(subject, cancellationToken);
        await tokens.RevokeBySubjectAsync(subject, cancellationToken);
        return sessions;
    }

    /// <summary>The provider's authorization behind one sign-in (named in its id token) and the tokens issued under it.</summary>
    public async Task RevokeAuthorizationAsync(string authorizationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(authorizationId);
        await tokens.RevokeByAuthorizationIdAsync(authorizationId, cancellationToken);
        if (await authorizations.FindByIdAsync(authorizationId, cancellationToken) is { } authorization)
        {
            await authorizations.TryRevokeAsync(authorization, cancellationToken);
        }
    }

    /// <summary>Rows of sessions that expired on their own.</summary>
    public Task<int> PruneAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var cutoff = now.ToUnixTimeSeconds();
        return db.Sessions.Where(s => s.ExpiresAt <= cutoff).ExecuteDeleteAsync(cancellationToken);
    }
}

/// <summary>Puts both cookie handlers' sessions in the database.</summary>
public static class ServerSideSessionExtensions
{
    public static IServiceCollection AddServerSideSessions(this IServiceCollection services, params string[] schemes)
    {
        ArgumentNullException.ThrowIfNull(schemes);
        services.AddScoped<SessionRevocation>();
        foreach (var scheme in schemes)
        {
            services.AddOptions<CookieAuthenticationOptions>(scheme).Configure<IServiceScopeFactory, IDataProtectionProvider, TimeProvider>((o, scopes, protection, clock) =>
                o.SessionStore = new DatabaseTicketStore(scopes, protection, clock, scheme));
        }

        return services;
    }
}
