using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Portal.Core.Observability;

namespace Portal.Observability;

public static class ObservabilityServiceCollectionExtensions
{
    /// <summary>OpenTelemetry metrics (HTTP server and client, runtime, the portal's own meter) exported for Prometheus.</summary>
    public static IServiceCollection AddPortalObservability(this IServiceCollection services)
    {
        services.AddSingleton<PortalMetrics>();

        // After the last session ends, an idle portal gives the memory of its busy moment back once (README, Benchmarks);
        // Memory:TrimWhenIdle=false turns it off, e.g. to compare with `bench memory --env Memory__TrimWhenIdle=false`.
        services.AddOptions<MemoryOptions>().BindConfiguration(MemoryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new IdleTrimSchedule(sp.GetRequiredService<IOptions<MemoryOptions>>().Value.QuietBeforeTrim));
        services.AddScoped<CircuitHandler, IdleTrimCircuitHandler>();
        services.AddHostedService<IdleMemoryTrimmer>();
        services.AddPortalMetricsEndpoint();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(PortalMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        services.ConfigureOpenTelemetryMeterProvider((sp, builder) =>
        {
            // OpenTelemetry hears every meter of the name in the process; only this application's is its to report
            // (several portals in one process, as in the integration tests, would otherwise add up each other's figures).
            var own = sp.GetRequiredService<IMeterFactory>();
            builder.AddView(instrument => instrument.Meter.Name == PortalMetrics.MeterName && !ReferenceEquals(instrument.Meter.Scope, own)
                ? MetricStreamConfiguration.Drop
                : null);
        });
        return services;
    }
}
