using System.Net;
using Portal.Identity.BuiltIn;
using Portal.Tests.Api;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.ServiceAccounts;

/// <summary>
/// A service account gets an API token from the token endpoint with its client id and secret (no person, no MFA), and
/// the API sees it as a requester: it creates and submits requests. A wrong secret, or the portal's own client asking
/// for this grant, gets no token.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ServiceAccountTokenTests(ApiPortal api)
{
    [Fact]
    public async Task Client_credentials_give_a_requester_token_that_creates_and_submits()
    {
        var account = await ServiceAccountFixture.CreateAsync(api, "Token pipeline");
        using var client = api.Client(await ServiceAccountFixture.TokenAsync(api, account));

        var me = await ReadAsync(await client.GetAsync("/api/me"), HttpStatusCode.OK);
        Assert.Equal(account.ClientId, me.GetProperty("id").GetString());
        Assert.Equal("Token pipeline (service account)", me.GetProperty("displayName").GetString());
        Assert.Equal(["Requester"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).ToArray());

        var created = await ReadAsync(await PostAsync(client, "/api/v1/requests?submit=true", JsonBody(TestSpecs.Site("svc-token.example.com"))), HttpStatusCode.Created);
        Assert.Equal("submitted", State(created));
    }

    [Fact]
    public async Task A_wrong_secret_or_a_client_that_is_no_service_account_gets_no_token()
    {
        var account = await ServiceAccountFixture.CreateAsync(api, "Wrong secret pipeline");

        var (wrongStatus, wrong) = await api.ClientCredentialsAsync(account.ClientId, account.Secret + "x");
        Assert.Equal((HttpStatusCode.Unauthorized, "invalid_client"), (wrongStatus, wrong.GetProperty("error").GetString()));

        var portalSecret = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IdentityKeyRing>(api.Portal.Services).ClientSecret();
        var (portalStatus, portal) = await api.ClientCredentialsAsync(BuiltInClient.ClientId, portalSecret);
        Assert.Equal((HttpStatusCode.BadRequest, "unauthorized_client"), (portalStatus, portal.GetProperty("error").GetString()));
    }
}
