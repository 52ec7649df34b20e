using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Core.Identity;

namespace Portal.Pages.Account;

[Authorize(Policy = Portal.Identity.PortalPolicies.SignedIn)]
public sealed class AccessDeniedModel : PageModel
{
    public string Name { get; private set; } = "";

    public string Roles { get; private set; } = "";

    public void OnGet()
    {
        var actor = ActorFactory.FromPrincipal(User);
        Name = actor?.DisplayName ?? "unknown";
        Roles = actor is null || actor.Roles.Count == 0 ? "no portal role" : string.Join(", ", actor.Roles.Order());
    }
}
