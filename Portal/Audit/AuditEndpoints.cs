using System.Globalization;
using Portal.Infrastructure.Audit;

namespace Portal.Audit;

public static class AuditEndpoints
{
    public const string ExportPath = "/audit/export.csv";

    /// <summary>The audit log's queries: every workflow transition is an <c>AuditEvent</c> of its request; this reads them.</summary>
    public static IServiceCollection AddPortalAudit(this IServiceCollection services)
    {
        services.AddSingleton<AuditLogQueries>();
        return services;
    }

    /// <summary>The audit log as a CSV download, with the same filters as the audit page.</summary>
    public static IEndpointRouteBuilder MapAuditExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ExportPath, async (HttpContext http, AuditLogQueries audit, Guid? requestId, string? person, string? action, string? from, string? to) =>
        {
            if (!TryDate(from, out var fromDate) || !TryDate(to, out var toDate))
            {
                return Results.Problem(title: "Bad date", detail: "Dates are ISO 8601, e.g. 2026-11-28 or 2026-11-28T09:00:00Z.", statusCode: StatusCodes.Status400BadRequest);
            }

            var query = new AuditLogQuery { RequestId = requestId, Person = person, Action = action, From = fromDate, To = toDate };
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = "attachment; filename=\"audit-log.csv\"";
            await using var writer = new StreamWriter(http.Response.Body, new System.Text.UTF8Encoding(false));
            await audit.ExportCsvAsync(query, writer, http.RequestAborted);
            return Results.Empty;
        }).WithName("ExportAuditLog");
        return endpoints;
    }

    private static bool TryDate(string? text, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }
}
