using OpenTelemetry.Metrics;
using Portal.Core.Observability;

namespace Portal.Observability;

public static class ObservabilityServiceCollectionExtensions
{
    /// <summary>OpenTelemetry metrics (HTTP server and client, runtime, the portal's own meter) exported for Prometheus.</summary>
    public static IServiceCollection AddPortalObservability(this IServiceCollection services)
    {
        services.AddSingleton<PortalMetrics>();
        services.AddPortalMetricsEndpoint();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(PortalMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        return services;
    }
}
