using Portal.Api;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor.Services;
using Portal.Core.Approvals;
using Portal.Infrastructure.Audit;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Content;
using Portal.Data;
using Portal.Deployments;
using Portal.Health;
using Portal.Identity;
using Portal.Observability;

namespace Portal.Hosting;

public static class PortalServiceCollectionExtensions
{
    /// <summary>Everything the web portal needs, area by area.</summary>
    public static WebApplicationBuilder AddPortalServices(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services
            .AddPortalCore()
            .AddPortalPersistence()
            .AddPortalHealth()
            .AddPortalAws()
            .AddPortalContent()
            .AddPortalHealthMonitoring()
            .AddPortalObservability()
            .AddPortalUi()
            .AddPortalApi();
        builder.AddPortalAuthentication();
        return builder;
    }

    /// <summary>The workflow and request services of Portal.Core, with their validated settings.</summary>
    public static IServiceCollection AddPortalCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ApprovalOptions>()
            .BindConfiguration(ApprovalOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<RequestService>();
        services.AddSingleton<RequestQueries>();
        services.AddSingleton<AuditLogQueries>();
        return services;
    }

    public static IServiceCollection AddPortalUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        return services;
    }
}
