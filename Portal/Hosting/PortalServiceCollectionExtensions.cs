using DnsClient;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Portal.Core.Dns;
using Portal.Core.Approvals;
using Portal.Core.Audit;
using Portal.Core.Requests;
using Portal.Data;

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
            .AddPortalUi();
        return builder;
    }

    /// <summary>The workflow and request services of Portal.Core, with their validated settings.</summary>
    public static IServiceCollection AddPortalCore(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<ApprovalOptions>()
            .BindConfiguration(ApprovalOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<DnsOptions>()
            .BindConfiguration(DnsOptions.SectionName)
            .Validate(o => { o.Endpoints(out var bad); return bad is null; }, "Dns:Servers must list resolvers as IP or IP:PORT, e.g. 127.0.0.1:5353.")
            .ValidateOnStart();
        services.AddSingleton<ILookupClient>(sp => MxLookup.CreateClient(sp.GetRequiredService<IOptions<DnsOptions>>().Value));
        services.AddSingleton<MxLookup>();
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
