using Portal.Identity.Settings;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Portal.Identity;

namespace Portal.Pages.Account;

[Authorize(Policy = PortalPolicies.SignedIn)]
public sealed class MfaRequiredModel(IOptions<PortalAuthenticationOptions> settings) : PageModel
{
    public string Name { get; private set; } = "";

    public string Rule { get; private set; } = "";

    public void OnGet()
    {
        Name = User.Identity?.Name ?? "unknown";
        Rule = settings.Value.CreateRules().Mfa.Describe();
    }
}
