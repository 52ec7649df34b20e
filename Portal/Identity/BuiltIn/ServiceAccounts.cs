using System.Security.Cryptography;
using System.Text.Json;
using OpenIddict.Abstractions;
using Portal.Core.Text;
using Portal.Core.Workflow;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Portal.Identity.BuiltIn;

/// <summary>A service account as the admin page lists it; the secret is never kept in readable form.</summary>
public sealed record ServiceAccountView(string ClientId, string Name, DateTimeOffset? CreatedAt, string? CreatedBy, DateTimeOffset? SecretSetAt);

/// <summary>The one moment a secret is readable: right after creating or rotating.</summary>
public sealed record ServiceAccountSecret(string ClientId, string Name, string Secret);

/// <summary>The outcome of an admin's change: the secret (create, rotate), or a sentence saying why not.</summary>
public sealed record ServiceAccountResult(ServiceAccountSecret? Secret, string? Problem)
{
    public bool Succeeded => Problem is null;
}

/// <summary>
/// Service accounts of the built-in provider: OAuth clients (client credentials) for pipelines and scripts. They get
/// the Requester role and nothing more, need no MFA (they are not people) and can never approve, reject or decommission
/// (<see cref="WorkflowTable.NeedsPerson"/>). OpenIddict stores only a hash of each secret. Rotating or revoking ends
/// every token the account holds at once; each change is a security event.
/// </summary>
public sealed class ServiceAccounts(IOpenIddictApplicationManager applications, IOpenIddictTokenManager tokens, SecurityAudit audit, TimeProvider clock)
{
    public const string ClientIdPrefix = "svc-";

    /// <summary>Marks the OpenIddict application as a service account, in its properties.</summary>
    public const string KindProperty = "portal_kind";

    public const string KindValue = "service-account";

    private const string CreatedAtProperty = "portal_created_at";
    private const string CreatedByProperty = "portal_created_by";
    private const string SecretSetAtProperty = "portal_secret_set_at";

    public const int MaxNameLength = 80;

    public async Task<IReadOnlyList<ServiceAccountView>> ListAsync(CancellationToken ct = default)
    {
        var list = new List<ServiceAccountView>();
        await foreach (var application in applications.ListAsync(count: null, offset: null, ct))
        {
            if (await ViewAsync(application, ct) is { } view)
            {
                list.Add(view);
            }
        }

        return [.. list.OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>Is <paramref name="clientId"/> a service account still in place? (Its display name, or null.)</summary>
    public async Task<string?> NameOfAsync(string clientId, CancellationToken ct = default)
    {
        var application = await applications.FindByClientIdAsync(clientId, ct);
        return application is null ? null : (await ViewAsync(application, ct))?.Name;
    }

    public async Task<ServiceAccountResult> CreateAsync(string? name, Actor admin, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(admin);
        if (!admin.IsIn(PortalRole.Admin) || admin.IsServiceAccount)
        {
            return new(null, "Creating a service account needs the Admin role.");
        }

        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            return new(null, "Give the service account a name, e.g. the pipeline that will use it.");
        }

        if (FreeText.Problem(trimmed, "The name", MaxNameLength) is { } problem)
        {
            return new(null, problem);
        }

        if ((await ListAsync(ct)).Any(a => string.Equals(a.Name, trimmed, StringComparison.OrdinalIgnoreCase)))
        {
            return new(null, $"A service account named '{trimmed}' exists already; choose another name.");
        }

        var clientId = ClientIdPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = NewSecret();
        var now = clock.GetUtcNow();
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = trimmed,
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
        };
        descriptor.Properties[KindProperty] = JsonSerializer.SerializeToElement(KindValue);
        descriptor.Properties[CreatedAtProperty] = JsonSerializer.SerializeToElement(now);
        descriptor.Properties[CreatedByProperty] = JsonSerializer.SerializeToElement(admin.DisplayName);
        descriptor.Properties[SecretSetAtProperty] = JsonSerializer.SerializeToElement(now);
        await applications.CreateAsync(descriptor, ct);
        await audit.RecordAsync(SecurityEventKind.ServiceAccountCreated, clientId, trimmed, "role Requester", admin.Id);
        return new(new ServiceAccountSecret(clientId, trimmed, secret), null);
    }

    /// <summary>A new secret; the old one and every token obtained with it stop working at once.</summary>
    public async Task<ServiceAccountResult> RotateAsync(string clientId, Actor admin, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var (application, view, problem) = await FindAsync(clientId, admin, "Rotating a secret", ct);
        if (problem is not null)
        {
            return new(null, problem);
        }

        var secret = NewSecret();
        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application!, ct);
        descriptor.ClientSecret = secret;
        descriptor.Properties[SecretSetAtProperty] = JsonSerializer.SerializeToElement(clock.GetUtcNow());
        await applications.UpdateAsync(application!, descriptor, ct);
        var id = await applications.GetIdAsync(application!, ct);
        var revoked = id is null ? 0 : await tokens.RevokeByApplicationIdAsync(id, ct);
        await audit.RecordAsync(SecurityEventKind.ServiceAccountSecretRotated, clientId, view!.Name, $"{revoked} token(s) revoked", admin.Id);
        return new(new ServiceAccountSecret(clientId, view.Name, secret), null);
    }

    /// <summary>Removes the account: its secret stops working and every token it holds is revoked.</summary>
    public async Task<ServiceAccountResult> RevokeAsync(string clientId, Actor admin, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var (application, view, problem) = await FindAsync(clientId, admin, "Revoking a service account", ct);
        if (problem is not null)
        {
            return new(null, problem);
        }

        var id = await applications.GetIdAsync(application!, ct);
        var revoked = id is null ? 0 : await tokens.RevokeByApplicationIdAsync(id, ct);
        await applications.DeleteAsync(application!, ct);
        await audit.RecordAsync(SecurityEventKind.ServiceAccountRevoked, clientId, view!.Name, $"{revoked} token(s) revoked", admin.Id);
        return new(null, null);
    }

    private async Task<(object? Application, ServiceAccountView? View, string? Problem)> FindAsync(string clientId, Actor admin, string what, CancellationToken ct)
    {
        if (!admin.IsIn(PortalRole.Admin) || admin.IsServiceAccount)
        {
            return (null, null, $"{what} needs the Admin role.");
        }

        var application = string.IsNullOrEmpty(clientId) ? null : await applications.FindByClientIdAsync(clientId, ct);
        var view = application is null ? null : await ViewAsync(application, ct);
        return view is null ? (null, null, $"There is no service account '{clientId}'.") : (application, view, null);
    }

    private async Task<ServiceAccountView?> ViewAsync(object application, CancellationToken ct)
    {
        var properties = await applications.GetPropertiesAsync(application, ct);
        if (!properties.TryGetValue(KindProperty, out var kind) || kind.ValueKind != JsonValueKind.String || kind.GetString() != KindValue)
        {
            return null;
        }

        var clientId = await applications.GetClientIdAsync(application, ct) ?? "";
        return new ServiceAccountView(
            clientId,
            await applications.GetDisplayNameAsync(application, ct) ?? clientId,
            Date(properties, CreatedAtProperty),
            properties.TryGetValue(CreatedByProperty, out var by) && by.ValueKind == JsonValueKind.String ? by.GetString() : null,
            Date(properties, SecretSetAtProperty));
    }

    private static DateTimeOffset? Date(System.Collections.Immutable.ImmutableDictionary<string, JsonElement> properties, string key) =>
        properties.TryGetValue(key, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var at) ? at : null;

    /// <summary>256 random bits, URL-safe: fits an environment variable and a CI secret store as it is.</summary>
    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
