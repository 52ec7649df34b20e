using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Workflow;
using Portal.Identity.BuiltIn;
using Portal.Tests.Api;

namespace Portal.Tests.ServiceAccounts;

/// <summary>Service accounts made as an admin would on the admin page, through the same service.</summary>
internal static class ServiceAccountFixture
{
    public static readonly Actor Admin = Actor.Person("adm-sa", "Ada Admin", DateTimeOffset.UtcNow, PortalRole.Admin);

    public static async Task<ServiceAccountSecret> CreateAsync(ApiPortal api, string name)
    {
        await using var scope = api.Portal.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<Portal.Identity.BuiltIn.ServiceAccounts>().CreateAsync(name, Admin);
        Assert.True(result.Succeeded, result.Problem);
        return result.Secret!;
    }

    public static async Task<string> TokenAsync(ApiPortal api, ServiceAccountSecret account)
    {
        var (status, body) = await api.ClientCredentialsAsync(account.ClientId, account.Secret);
        Assert.True(status == System.Net.HttpStatusCode.OK, body.ToString());
        return body.GetProperty("access_token").GetString()!;
    }

    public static async Task<T> WithAsync<T>(ApiPortal api, Func<Portal.Identity.BuiltIn.ServiceAccounts, Task<T>> use)
    {
        await using var scope = api.Portal.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<Portal.Identity.BuiltIn.ServiceAccounts>());
    }
}
