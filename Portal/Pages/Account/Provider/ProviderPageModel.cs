using Portal.Identity.Settings;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Portal.Core.Identity;
using Portal.Identity;

namespace Portal.Pages.Account.Provider;

/// <summary>
/// Common to the built-in provider's sign-in pages: they exist only while the built-in provider is the one in use,
/// and the return address is kept local.
/// </summary>
public abstract class ProviderPageModel : PageModel
{
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = context.HttpContext.RequestServices.GetRequiredService<IOptions<PortalAuthenticationOptions>>().Value;
        if (settings.Mode != IdentityProviderMode.BuiltIn)
        {
            context.Result = NotFound();
        }
    }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; protected set; }

    /// <summary>Where to go once signed in: the authorization request that sent the person here, or the portal.</summary>
    protected IActionResult Continue() => LocalRedirect(ContinueUrl);

    /// <summary>The return address by the portal's one redirect rule, else the dashboard.</summary>
    public string ContinueUrl => LocalRedirectTarget.OrRoot(ReturnUrl);
}
