using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Portal.Aws;
using Portal.Core.TlsReports;
using Portal.Infrastructure.TlsReports;

namespace Portal.TlsReports;

/// <summary>
/// TLS reports (RFC 8460): the report endpoint senders post to, its limits, the report queries and the enforce gate.
/// </summary>
public static class TlsReportEndpoints
{
    public const string RateLimitPolicy = "tls-reports";

    public const string GzipMediaType = "application/tlsrpt+gzip";

    public const string JsonMediaType = "application/tlsrpt+json";

    /// <summary>The <c>TlsReports</c> settings, the intake and queries, the gate, and the endpoint's rate limit per sending address.</summary>
    public static IServiceCollection AddPortalTlsReports(this IServiceCollection services)
    {
        services.AddOptions<TlsReportOptions>()
            .BindConfiguration(TlsReportOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<TlsReportSchema>();
        services.AddSingleton<TlsReportIntake>();
        services.AddSingleton<TlsReportQueries>();
        services.AddSingleton<IMxTransportResults, HealthMxTransportResults>();
        services.AddSingleton(sp => new EnforcementGateService(
            sp.GetRequiredService<TlsReportQueries>(),
            sp.GetRequiredService<IMxTransportResults>(),
            sp.GetRequiredService<IOptions<TlsReportOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<AwsModeChoice>().IsSandbox));

        // Senders are other mail servers, anonymous by nature: each address gets a fixed number of posts per window.
        services.Configure<RateLimiterOptions>(o => o.AddPolicy(RateLimitPolicy, context =>
        {
            var settings = context.RequestServices.GetRequiredService<IOptions<TlsReportOptions>>().Value;
            return RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = settings.PermitLimit,
                Window = settings.Window,
                QueueLimit = 0,
            });
        }));
        return services;
    }

    /// <summary><c>POST /tlsrpt/v1/{domain}</c>: RFC 8460 section 5.3's HTTPS upload, for mail domains the portal manages.</summary>
    public static IEndpointRouteBuilder MapTlsReportIntake(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(TlsReportOptions.ReportPath("{domain}"), ReceiveAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .RequireRateLimiting(RateLimitPolicy)
            .WithName("TlsReportIntake");
        return endpoints;
    }

    private static async Task<IResult> ReceiveAsync(string domain, HttpContext context, TlsReportIntake intake, IOptions<TlsReportOptions> options, CancellationToken ct)
    {
        // The answers are for mail servers and their operators: no sign-in or not-found page around them.
        context.Features.Get<IStatusCodePagesFeature>()?.Enabled = false;
        var settings = options.Value;
        var mediaType = context.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        TlsReportEncoding? encoding = mediaType switch
        {
            GzipMediaType => TlsReportEncoding.Gzip,
            JsonMediaType => TlsReportEncoding.Json,
            _ => null,
        };
        if (encoding is null)
        {
            return Refuse(StatusCodes.Status415UnsupportedMediaType, "Unsupported report type",
                $"Send the report as {GzipMediaType} or {JsonMediaType} (RFC 8460 section 5.3); got {mediaType ?? "no Content-Type"}.");
        }

        if (!await intake.ManagesAsync(domain, ct))
        {
            return Refuse(StatusCodes.Status404NotFound, "Unknown mail domain", $"This portal takes no TLS reports for {domain}.");
        }

        if (context.Request.ContentLength > settings.MaxBodyBytes)
        {
            return Refuse(StatusCodes.Status413PayloadTooLarge, "Report too large", $"The body is larger than {settings.MaxBodyBytes} bytes.");
        }

        var body = await TlsReportBody.ReadAsync(context.Request.Body, encoding.Value, settings.MaxBodyBytes, settings.MaxReportBytes, ct);
        if (body.Json is null)
        {
            return body.TooLarge
                ? Refuse(StatusCodes.Status413PayloadTooLarge, "Report too large", body.Problem!)
                : Refuse(StatusCodes.Status400BadRequest, "Unreadable report", body.Problem!);
        }

        var result = await intake.ReceiveAsync(domain, body.Json, encoding.Value, ct);
        return result.Outcome switch
        {
            IntakeOutcome.Stored => Results.Text($"Report kept for {domain}.", "text/plain", statusCode: StatusCodes.Status201Created),
            IntakeOutcome.Duplicate => Results.Text($"This report was already received for {domain}; it is kept once.", "text/plain", statusCode: StatusCodes.Status200OK),
            IntakeOutcome.UnknownDomain => Refuse(StatusCodes.Status404NotFound, "Unknown mail domain", string.Join(" ", result.Problems)),
            _ => Refuse(StatusCodes.Status400BadRequest, "Invalid TLS report", string.Join(Environment.NewLine, result.Problems.Take(20))),
        };
    }

    private static IResult Refuse(int status, string title, string detail) =>
        Results.Problem(title: title, detail: detail, statusCode: status, type: "https://www.rfc-editor.org/rfc/rfc8460#section-5.3");
}
