using System.Text.Json;
using Json.Schema;

namespace Portal.Infrastructure.TlsReports;

/// <summary>
/// The portal's JSON schema of an RFC 8460 section 4 report (<c>tlsrpt-report.schema.json</c>, embedded): the first
/// check of a received report, whose problems go back to the sender with the place they were found.
/// </summary>
public sealed class TlsReportSchema
{
    private readonly JsonSchema _schema;

    public TlsReportSchema()
    {
        using var stream = typeof(TlsReportSchema).Assembly.GetManifestResourceStream("Portal.Infrastructure.TlsReports.tlsrpt-report.schema.json")
            ?? throw new InvalidOperationException("The TLS report schema is not embedded in Portal.Infrastructure.");
        using var document = JsonDocument.Parse(stream);
        _schema = JsonSchema.Build(document.RootElement.Clone(), new BuildOptions { SchemaRegistry = new SchemaRegistry() },
            new Uri("https://schemas.portal.local/tlsrpt-report.json"));
    }

    /// <summary>Each problem as <c>#/pointer: message</c>; empty when the report fits.</summary>
    public IReadOnlyList<string> Validate(JsonElement report)
    {
        var results = _schema.Evaluate(report, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        var problems = (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"#{d.InstanceLocation}: {e.Value}"))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return problems.Count > 0 ? problems : ["#: does not match the TLS report format of RFC 8460 section 4"];
    }
}
