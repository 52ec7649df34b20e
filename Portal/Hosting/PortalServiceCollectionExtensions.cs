using Portal.Adoption;
using Portal.TlsReports;
using Portal.Teams;
using Portal.Accounts;
using MudBlazor.Services;
using Portal.Api;
using Portal.Audit;
using Portal.Aws;
using Portal.Content;
using Portal.Data;
using Portal.Deployments;
using Portal.Health;
using Portal.Identity;
using Portal.Notifications;
using Portal.Observability;
using Portal.Requests;
using Portal.Sandbox;
using Portal.Templates;

namespace Portal.Hosting;

public static class PortalServiceCollectionExtensions
{
    /// <summary>Everything the web portal needs, area by area.</summary>
    public static WebApplicationBuilder AddPortalServices(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services
            .AddPortalRequests()
            .AddPortalAudit()
            .AddPortalPersistence()
            .AddPortalAccounts()
            .AddPortalHealth()
            .AddPortalAws()
            .AddPortalSandbox()
            .AddPortalTemplates()
            .AddPortalDeployments()
            .AddPortalContent()
            .AddPortalTeams()
            .AddPortalAdoption()
            .AddPortalHealthMonitoring()
            .AddPortalNotifications()
            .AddPortalTlsReports()
            .AddPortalObservability()
            .AddPortalUi()
            .AddPortalApi();
        builder.AddPortalAuthentication();
        builder.Services.AddPortalHostFiltering(builder.Configuration);

        // What the server runs is nobody's business; the header would only help someone match it to known flaws.
        builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);
        return builder;
    }

    public static IServiceCollection AddPortalUi(this IServiceCollection services)
    {
        // A closed tab leaves its circuit (the page's components and their data) in memory for a reconnect that will not
        // come: keep fewer of them for a shorter time than the framework's 100 for 3 minutes. A dropped connection
        // still reconnects within the period; setting Blazor:Circuits:* changes both.
        services.AddRazorComponents().AddInteractiveServerComponents(o =>
        {
            o.DisconnectedCircuitMaxRetained = 20;
            o.DisconnectedCircuitRetentionPeriod = TimeSpan.FromMinutes(1);
        });
        services.AddOptions<Microsoft.AspNetCore.Components.Server.CircuitOptions>().BindConfiguration("Blazor:Circuits");
        services.AddMudServices();

        // The antiforgery cookie is Secure over HTTPS, as the session cookies are (plain HTTP stays usable on localhost).
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        return services;
    }
}
