using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Identity.BuiltIn;
using Portal.Tests.Api;

namespace Portal.Tests.ServiceAccounts;

/// <summary>
/// Rotating a secret: the new one works at once, the old one and every token obtained with it stop working. Revoking:
/// nothing of the account works any more. Each change is a security event naming the admin.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ServiceAccountSecretRotationTests(ApiPortal api)
{
    [Fact]
    public async Task The_old_secret_and_its_tokens_stop_working_after_rotation_and_everything_after_revocation()
    {
        var account = await ServiceAccountFixture.CreateAsync(api, "Rotating pipeline");
        var oldToken = await ServiceAccountFixture.TokenAsync(api, account);

        var rotated = await ServiceAccountFixture.WithAsync(api, a => a.RotateAsync(account.ClientId, ServiceAccountFixture.Admin));
        Assert.True(rotated.Succeeded, rotated.Problem);
        Assert.NotEqual(account.Secret, rotated.Secret!.Secret);

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.ClientCredentialsAsync(account.ClientId, account.Secret)).Status);
        using (var old = api.Client(oldToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await old.GetAsync("/api/me")).StatusCode);
        }

        var newToken = await ServiceAccountFixture.TokenAsync(api, rotated.Secret);
        using (var fresh = api.Client(newToken))
        {
            Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/api/me")).StatusCode);
        }

        var revoked = await ServiceAccountFixture.WithAsync(api, a => a.RevokeAsync(account.ClientId, ServiceAccountFixture.Admin));
        Assert.True(revoked.Succeeded, revoked.Problem);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.ClientCredentialsAsync(account.ClientId, rotated.Secret.Secret)).Status);
        using (var gone = api.Client(newToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await gone.GetAsync("/api/me")).StatusCode);
        }

        Assert.DoesNotContain(await ServiceAccountFixture.WithAsync(api, a => a.ListAsync()), v => v.ClientId == account.ClientId);
        await using var scope = api.Portal.Services.CreateAsyncScope();
        var events = await scope.ServiceProvider.GetRequiredService<PortalIdentityDbContext>().SecurityEvents
            .Where(e => e.Subject == account.ClientId).OrderBy(e => e.AtUnixMs).Select(e => new { e.Kind, e.By }).ToListAsync();
        Assert.Equal(
            [nameof(SecurityEventKind.ServiceAccountCreated), nameof(SecurityEventKind.ServiceAccountSecretRotated), nameof(SecurityEventKind.ServiceAccountRevoked)],
            events.Select(e => e.Kind).ToArray());
        Assert.All(events, e => Assert.Equal(ServiceAccountFixture.Admin.Id, e.By));
    }

    [Fact]
    public async Task Only_an_admin_creates_rotates_or_revokes_and_names_are_checked()
    {
        var requester = Portal.Core.Workflow.Actor.Person("req-sa", "Rita", DateTimeOffset.UtcNow, Portal.Core.Workflow.PortalRole.Requester);
        var refused = await ServiceAccountFixture.WithAsync(api, a => a.CreateAsync("Sneaky", requester));
        Assert.Equal("Creating a service account needs the Admin role.", refused.Problem);

        var blank = await ServiceAccountFixture.WithAsync(api, a => a.CreateAsync("  ", ServiceAccountFixture.Admin));
        Assert.Equal("Give the service account a name, e.g. the pipeline that will use it.", blank.Problem);

        await ServiceAccountFixture.CreateAsync(api, "Twice pipeline");
        var twice = await ServiceAccountFixture.WithAsync(api, a => a.CreateAsync("twice PIPELINE", ServiceAccountFixture.Admin));
        Assert.Equal("A service account named 'twice PIPELINE' exists already; choose another name.", twice.Problem);

        var missing = await ServiceAccountFixture.WithAsync(api, a => a.RotateAsync("svc-none", ServiceAccountFixture.Admin));
        Assert.Equal("There is no service account 'svc-none'.", missing.Problem);
    }
}
