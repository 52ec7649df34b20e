namespace Portal.Core.Health;

/// <summary>A change worth telling people about: a condition newly raised on a watched name.</summary>
public sealed record HealthAlert(string Name, HealthCheckKind Kind, string Condition, string Summary, DateTimeOffset At, IReadOnlyList<Finding> Findings);

/// <summary>Where alerts go (webhook, email). Implementations must not throw for a delivery failure; they log it.</summary>
public interface IAlertSink
{
    Task SendAsync(HealthAlert alert, CancellationToken ct);
}
