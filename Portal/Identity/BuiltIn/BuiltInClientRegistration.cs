using Portal.Identity.Settings;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using Portal.Core.Workflow;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Portal.Identity.BuiltIn;

/// <summary>
/// Once the server listens (its addresses are known), registers the portal as a client of its own provider, with
/// redirect addresses for every origin it can be reached at, and makes sure the three roles exist.
/// </summary>
internal sealed partial class BuiltInClientRegistration(
    IServiceScopeFactory scopes, PortalOrigin origin, IdentityKeyRing keys, IOptions<PortalAuthenticationOptions> settings, ILogger<BuiltInClientRegistration> logger)
    : IHostedLifecycleService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _registering;

    /// <summary>Done in the background and retried, so an unreachable database delays sign-in but not the start (readiness reports it).</summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (settings.Value.Mode != IdentityProviderMode.BuiltIn)
        {
            return Task.CompletedTask;
        }

        _registering = Task.Run(async () =>
        {
            for (var attempt = 1; !_stopping.IsCancellationRequested; attempt++)
            {
                try
                {
                    await RegisterAsync(_stopping.Token);
                    return;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRetry(logger, ex, attempt);
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, 2 * attempt)), _stopping.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Completes once the portal's client registration is in place.</summary>
    public Task Registered => _registering ?? Task.CompletedTask;

    private async Task RegisterAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<UserAdministration>().EnsureRolesAsync();

        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = BuiltInClient.ClientId,
            ClientSecret = keys.ClientSecret(),
            ClientType = ClientTypes.Confidential,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = "Static Site and MTA-STS Portal",
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile,
                Permissions.Scopes.Email,
                Permissions.Scopes.Roles,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var o in origin.All)
        {
            descriptor.RedirectUris.Add(new Uri(o, "/signin-oidc"));
            descriptor.PostLogoutRedirectUris.Add(new Uri(o, "/signout-callback-oidc"));
        }

        await CreateOrUpdateAsync(applications, descriptor, cancellationToken);

        // The command line for people: a public client (it cannot keep a secret) that only gets tokens through the
        // device code, which a person confirms in the browser after signing in with MFA, and keeps that sign-in with
        // refresh tokens (offline_access) within the limits CommandLineSessions sets.
        await CreateOrUpdateAsync(applications, new OpenIddictApplicationDescriptor
        {
            ClientId = BuiltInClient.CliClientId,
            ClientType = ClientTypes.Public,
            ConsentType = ConsentTypes.Explicit,
            DisplayName = "Portal command line",
            Permissions =
            {
                Permissions.Endpoints.DeviceAuthorization,
                Permissions.Endpoints.Token,
                Permissions.GrantTypes.DeviceCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.Scopes.Profile,
                Permissions.Scopes.Email,
                Permissions.Scopes.Roles,
            },
        }, cancellationToken);
    }

    private static async Task CreateOrUpdateAsync(IOpenIddictApplicationManager applications, OpenIddictApplicationDescriptor descriptor, CancellationToken cancellationToken)
    {
        var clientId = descriptor.ClientId!;
        var existing = await applications.FindByClientIdAsync(clientId, cancellationToken);
        if (existing is null)
        {
            try
            {
                await applications.CreateAsync(descriptor, cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is Microsoft.EntityFrameworkCore.DbUpdateException or OpenIddictExceptions.ConcurrencyException)
            {
                // Another replica registered it at the same moment: update theirs below.
                existing = await applications.FindByClientIdAsync(clientId, cancellationToken) ?? throw new InvalidOperationException($"The client {clientId} vanished.", ex);
            }
        }

        await applications.UpdateAsync(existing, descriptor, cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _stopping.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // The host disposed the service before stopping it (a failed start): nothing is running.
            return;
        }

        if (_registering is not null)
        {
            await _registering.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public void Dispose() => _stopping.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registering the portal at its built-in identity provider failed (attempt {Attempt}); retrying")]
    private static partial void LogRetry(ILogger logger, Exception exception, int attempt);

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
