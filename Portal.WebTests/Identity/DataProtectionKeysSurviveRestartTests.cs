using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Persistence;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Identity;

/// <summary>
/// On SQLite the Data Protection keys are in the database file, not in files beside it: a restarted portal still
/// reads what it protected before (sessions stay signed in) and makes no new key.
/// </summary>
public sealed class DataProtectionKeysSurviveRestartTests
{
    [Fact]
    public async Task A_restarted_portal_unprotects_what_it_protected_before_and_keeps_its_sessions()
    {
        using var folderOwner = new TemporaryFolder("portal-restart-keys-");
        var folder = folderOwner.Path;
        var settings = new Dictionary<string, string?> { ["Database:DataDirectory"] = folder };
        string payload, cookie;
        List<string> keysBefore;
        await using (var first = new PortalFactory(settings))
        {
            payload = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Portal.Tests.Restart").Protect("kept across restarts");
            cookie = Sessions.CookieValue(first.Services, Sessions.TokenClaims(Persona.Approver));
            keysBefore = await KeyNamesAsync(first);
        }

        await using var second = new PortalFactory(settings);
        using var client = second.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/approvals");
        request.Headers.Add("Cookie", $".portal.session={cookie}");
        using var response = await client.SendAsync(request);

        Assert.Equal("kept across restarts", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Portal.Tests.Restart").Unprotect(payload));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(keysBefore);
        Assert.Equal(keysBefore, await KeyNamesAsync(second));
        Assert.False(Directory.Exists(Path.Combine(folder, "keys")));
    }

    private static async Task<List<string>> KeyNamesAsync(PortalFactory portal)
    {
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.DataProtectionKeys.OrderBy(k => k.Id).Select(k => k.FriendlyName).ToListAsync();
    }
}
