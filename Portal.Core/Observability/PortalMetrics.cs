using System.Diagnostics.Metrics;

namespace Portal.Core.Observability;

/// <summary>
/// The portal's own metrics (meter <c>Portal</c>): workflow transitions, deployments by outcome, AWS calls by operation
/// and health scans. Exported by OpenTelemetry; created through <see cref="IMeterFactory"/> so tests can observe them.
/// </summary>
public sealed class PortalMetrics
{
    public const string MeterName = "Portal";

    private readonly Counter<long> _transitions;
    private readonly Counter<long> _deployments;
    private readonly Counter<long> _awsCalls;
    private readonly Counter<long> _healthChecks;
    private readonly Histogram<double> _healthCheckSeconds;

    public PortalMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _transitions = meter.CreateCounter<long>("portal.requests.transitions", description: "Workflow transitions taken, by action and resulting state.");
        _deployments = meter.CreateCounter<long>("portal.deployments", description: "Deployment runs finished (stacks, and for a site's production the copy of its content), by environment and outcome.");
        _awsCalls = meter.CreateCounter<long>("portal.aws.calls", description: "AWS API calls the portal made, one per call after its retries, by service, operation and outcome.");
        _healthChecks = meter.CreateCounter<long>("portal.health.checks", description: "Health checks run, by kind and worst finding.");
        _healthCheckSeconds = meter.CreateHistogram<double>("portal.health.check.duration", unit: "s", description: "Time one health check took.");
    }

    public void Transition(string action, string state) =>
        _transitions.Add(1, new("action", action), new("state", state));

    /// <param name="environment">testing, production, or all (a decommission).</param>
    /// <param name="outcome">succeeded or failed.</param>
    public void Deployment(string environment, string outcome) =>
        _deployments.Add(1, new("environment", environment), new("outcome", outcome));

    /// <param name="operation">The API's own name, e.g. CreateChangeSet, PutObject.</param>
    /// <param name="outcome">One of <see cref="Aws.AwsCallOutcome"/>.</param>
    public void AwsCall(string service, string operation, string outcome) =>
        _awsCalls.Add(1, new("service", service), new("operation", operation), new("outcome", outcome));

    public void HealthCheck(string kind, string worst, TimeSpan duration)
    {
        _healthChecks.Add(1, new("kind", kind), new("worst", worst));
        _healthCheckSeconds.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("kind", kind));
    }
}
