using Portal.Identity.Settings;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Portal.Hosting;
using Portal.Identity;

namespace Portal.Tests.Identity;

/// <summary>
/// With an <c>AzureAd</c> section the portal signs in through Microsoft.Identity.Web, on the same path as any other
/// provider (code flow with PKCE into the portal's session cookie). Entra itself is not reachable from tests, so this
/// checks the handler the portal would use.
/// </summary>
public sealed class EntraConfigurationTests
{
    [Fact]
    public async Task AzureAd_settings_select_entra_with_code_flow_pkce_and_the_portal_session()
    {
        var folder = Directory.CreateTempSubdirectory("portal-entra-").FullName;
        var builder = WebApplication.CreateBuilder(
        [
            "--AzureAd:Instance=https://login.microsoftonline.com/",
            "--AzureAd:TenantId=11111111-2222-3333-4444-555555555555",
            "--AzureAd:ClientId=66666666-7777-8888-9999-000000000000",
            "--AzureAd:ClientSecret=not-a-real-secret",
            "--AzureAd:CallbackPath=/signin-oidc",
            "--Authentication:MfaAcrValues:0=c1",
            $"--Database:DataDirectory={folder}",
        ]);
        builder.AddPortalServices();
        await using var app = builder.Build();

        var settings = app.Services.GetRequiredService<IOptions<PortalAuthenticationOptions>>().Value;
        var oidc = app.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(PortalSchemes.OpenIdConnect);

        Assert.Equal(IdentityProviderMode.Entra, settings.Mode);
        Assert.Equal("https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0", oidc.Authority);
        Assert.Equal("66666666-7777-8888-9999-000000000000", oidc.ClientId);
        Assert.Equal(OpenIdConnectResponseType.Code, oidc.ResponseType);
        Assert.True(oidc.UsePkce);
        Assert.Equal(PortalSchemes.Session, oidc.SignInScheme);
        Assert.False(oidc.MapInboundClaims);
        Assert.Equal(["c1"], settings.CreateRules().Mfa.AcrValues);
        Assert.Equal(["oid", "sub"], settings.CreateRules().SubjectClaims);
        Assert.Equal("roles", settings.CreateRules().Roles.ClaimType);
    }

    [Fact]
    public void The_claims_request_names_the_authentication_contexts() =>
        Assert.Equal("{\"id_token\":{\"acrs\":{\"essential\":true,\"values\":[\"c1\",\"c2\"]}}}", PortalAuthenticationExtensions.EntraAuthenticationContextRequest(["c1", "c2"]));
}
