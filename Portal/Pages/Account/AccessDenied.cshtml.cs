using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Core.Identity;
using Portal.Identity.BuiltIn;

namespace Portal.Pages.Account;

[Authorize(Policy = Portal.Identity.PortalPolicies.SignedIn)]
public sealed class AccessDeniedModel(SecurityAudit audit) : PageModel
{
    public string Name { get; private set; } = "";

    public string Roles { get; private set; } = "";

    /// <summary>What was refused, as the cookie handler passes it along.</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task OnGetAsync()
    {
        var actor = ActorFactory.FromPrincipal(User);
        Name = actor?.DisplayName ?? "unknown";
        Roles = actor is null || actor.Roles.Count == 0 ? "no portal role" : string.Join(", ", actor.Roles.Order());

        // The target is only recorded, never followed, so it is kept as asked (the audit entry cuts it to length).
        await audit.RecordAsync(SecurityEventKind.AccessDenied, actor?.Id, actor?.DisplayName, $"{Roles}; asked for {ReturnUrl ?? "this page"}");
    }
}
