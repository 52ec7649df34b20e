using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Portal.Core.Observability;

namespace Portal.Observability;

/// <summary>
/// How many distinct tag combinations each metric keeps. OpenTelemetry allocates every metric's points up front
/// (2,000 by default, about 144 KiB per metric, some 80 metrics here: 11 MiB held for good); only the per-route HTTP
/// server figures come near that, the runtime's, Kestrel's, the HTTP client's and the portal's own have a few dozen
/// combinations. Past the limit OpenTelemetry adds further combinations up under <c>otel.metric.overflow=true</c>.
/// </summary>
internal static class MetricCardinality
{
    public const int PerRouteLimit = 2000;
    public const int OtherLimit = 500;

    private static readonly HashSet<string> PerRoute = new(StringComparer.Ordinal)
    {
        "http.server.request.duration",
        "aspnetcore.routing.match_attempts",
    };

    public static MetricStreamConfiguration For(string instrumentName) =>
        new() { CardinalityLimit = PerRoute.Contains(instrumentName) ? PerRouteLimit : OtherLimit };
}

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
                : MetricCardinality.For(instrument.Name));
        });
        return services;
    }
}
