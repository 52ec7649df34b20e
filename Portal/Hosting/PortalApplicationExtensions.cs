using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Portal.Audit;
using Portal.Components;
using Portal.Content;
using Portal.Deployments;
using Portal.Observability;

namespace Portal.Hosting;

public static class PortalApplicationExtensions
{
    /// <summary>The request pipeline: errors, static assets, probes and the Blazor UI.</summary>
    public static WebApplication UsePortal(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            app.UseHsts();
        }

        app.UseStatusCodePagesWithReExecute("/not-found");
        app.UseAntiforgery();

        // Liveness answers without touching anything; readiness needs the database.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });

        app.MapPortalMetrics();
        app.MapAuditExport();
        app.MapStackDownloads();
        app.MapContentEndpoints();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
