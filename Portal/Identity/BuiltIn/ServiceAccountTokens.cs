using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using Portal.Core.Identity;
using Portal.Core.Workflow;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Portal.Identity.BuiltIn;

/// <summary>
/// The token endpoint's answer to a service account's client credentials grant (OpenIddict has already checked the
/// client id and secret): an access token for the API naming the account, the Requester role and the service-account
/// mark, and no MFA claim, since nobody signed in. Any other client asking for this grant is refused.
/// </summary>
internal sealed class ServiceAccountTokens(ServiceAccounts accounts) : IOpenIddictServerHandler<HandleTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleTokenRequestContext>()
            .UseScopedHandler<ServiceAccountTokens>()
            .SetOrder(OpenIddictServerHandlers.Exchange.AttachPrincipal.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(HandleTokenRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.IsClientCredentialsGrantType())
        {
            return;
        }

        var clientId = context.Request.ClientId ?? "";
        if (await accounts.NameOfAsync(clientId, context.CancellationToken) is not { } name)
        {
            context.Reject(Errors.UnauthorizedClient, "Only a service account may use the client credentials grant.");
            return;
        }

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, clientId)
            .SetClaim(Claims.Name, $"{name} (service account)")
            .SetClaims(Claims.Role, [nameof(PortalRole.Requester)])
            .SetClaim(PortalClaimTypes.ServiceAccount, "true");
        identity.SetResources(BuiltInClient.ApiAudience);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        context.SignIn(new ClaimsPrincipal(identity));
    }
}
