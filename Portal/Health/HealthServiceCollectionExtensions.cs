using DnsClient;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Dns;
using Portal.Core.Health;
using Portal.Core.Networking;
using Portal.Infrastructure.Health;

namespace Portal.Health;

public static class HealthServiceCollectionExtensions
{
    /// <summary>The health check engine: DNS through the configured resolvers, TLS and HTTP probes, the mail and site checkers.</summary>
    public static IServiceCollection AddPortalHealth(this IServiceCollection services)
    {
        services.AddOptions<HealthOptions>()
            .BindConfiguration(HealthOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => string.IsNullOrWhiteSpace(o.ExtraTrustedRootsFile) || File.Exists(o.ExtraTrustedRootsFile), "Health:ExtraTrustedRootsFile names a file that does not exist.")
            .ValidateOnStart();
        services.AddOptions<DnsOptions>()
            .BindConfiguration(DnsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ILookupClient>(sp => MxLookup.CreateClient(sp.GetRequiredService<IOptions<DnsOptions>>().Value));
        services.AddSingleton<MxLookup>();
        services.AddSingleton<DnsQueries>();
        services.AddSingleton(sp => new CertificateVerifier(sp.GetRequiredService<IOptions<HealthOptions>>().Value));
        services.AddSingleton(sp => OutboundAddressPolicy.FromSettings(sp.GetRequiredService<IOptions<HealthOptions>>().Value.AllowedNetworks));
        services.AddSingleton<OutboundConnector>();
        services.AddSingleton<TlsProbe>();
        services.AddSingleton<HttpFetcher>();
        services.AddSingleton<SmtpStartTlsProbe>();
        services.AddSingleton<MxTransportChecker>();
        services.AddSingleton<MtaStsChecker>();
        services.AddSingleton<SiteChecker>();
        services.AddSingleton<HealthChecker>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>
    /// Watching names over time: stored results and scheduled scans (the web portal, not the CLI). Alerts are queued
    /// through the notification outbox (AddPortalNotifications registers that sink and the <c>Alerts</c> settings).
    /// </summary>
    public static IServiceCollection AddPortalHealthMonitoring(this IServiceCollection services)
    {
        services.AddSingleton<HealthStatusFeed>();
        services.AddSingleton<HealthService>();
        services.AddHostedService<HealthScanService>();
        services.AddHostedService<HealthChangePoller>();
        return services;
    }
}
