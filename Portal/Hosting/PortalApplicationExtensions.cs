using Portal.Adoption;
using Portal.Teams;
using Portal.Accounts;
using Portal.Identity.Settings;
using Portal.Api;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Portal.Audit;
using Portal.Components;
using Portal.Content;
using Portal.Identity;
using Portal.Identity.BuiltIn;
using Portal.Deployments;
using Portal.Observability;
using Portal.TlsReports;

namespace Portal.Hosting;

public static class PortalApplicationExtensions
{
    /// <summary>The request pipeline: security headers, errors, sign-in, probes, static assets and the Blazor UI.</summary>
    public static WebApplication UsePortal(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UsePublicHost();
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        app.UseApiErrors();

        var builtIn = app.Services.GetRequiredService<IOptions<PortalAuthenticationOptions>>().Value.Mode == IdentityProviderMode.BuiltIn;
        if (!builtIn)
        {
            // With an external provider the built-in one must not answer at all, not even its discovery document.
            app.Use((context, next) =>
            {
                if (context.Request.Path.StartsWithSegments("/connect") || context.Request.Path.StartsWithSegments("/.well-known"))
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return context.Response.WriteAsync("Not found: the portal signs in with an external identity provider.");
                }

                return next(context);
            });
        }

        // Probes answer before sign-in machinery runs, so they work (and report) even when the database behind it does not.
        app.UseHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.UseHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });

        app.UseStatusCodePagesWithReExecute("/not-found");
        app.Use(async (context, next) =>
        {
            await next(context);

            // Only a person who asked for a missing page gets the not-found page; every other status (401 from the API,
            // the hub or the metrics endpoint, 403, 429, ...) goes out as it is.
            if (context.Response.StatusCode != StatusCodes.Status404NotFound
                || context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/_blazor"))
            {
                context.Features.Get<IStatusCodePagesFeature>()?.Enabled = false;
            }
        });
        app.UseRouting();
        app.UseApiRoutingRefusals();
        app.UseProviderRateLimitKeys();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        // Framework scripts and styles are public files; the sign-in pages need them before anyone is signed in.
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorPages();
        app.MapPortalAccount();
        if (builtIn)
        {
            app.MapBuiltInIdentityProvider();
        }

        app.MapPortalMetrics();
        app.MapAuditExport();
        app.MapStackDownloads();
        app.MapTlsReportIntake();
        app.MapPortalApi().MapPortalApiV1().MapContentEndpoints().MapTeamEndpoints().MapAdoptionEndpoints().MapTemplateUpgradeApi().MapTargetAccountEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
