using Microsoft.AspNetCore.Components.Authorization;
using Portal.Core.Identity;
using Portal.Core.Workflow;

namespace Portal.Identity;

/// <summary>
/// The signed-in person as the workflow's <see cref="Actor"/>: from the Blazor circuit's authentication state in
/// interactive components (there is no HTTP request there), otherwise from the HTTP request (pages, API).
/// </summary>
public sealed class CurrentActor(IHttpContextAccessor http, AuthenticationStateProvider? authenticationState = null)
{
    public async Task<Actor?> GetAsync()
    {
        if (authenticationState is not null)
        {
            try
            {
                var state = await authenticationState.GetAuthenticationStateAsync();
                return ActorFactory.FromPrincipal(state.User);
            }
            catch (InvalidOperationException)
            {
                // Outside a component render the provider has no state yet: the HTTP request has it.
            }
        }

        return ActorFactory.FromPrincipal(http.HttpContext?.User);
    }
}
