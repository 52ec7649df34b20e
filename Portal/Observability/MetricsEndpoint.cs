using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Portal.Observability;

/// <summary>Settings of the <c>Metrics</c> section.</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>
    /// The bearer token Prometheus sends (its <c>authorization</c> setting). Unset means no <c>/metrics</c> endpoint:
    /// nothing of the portal is served without a credential.
    /// </summary>
    [MinLength(24, ErrorMessage = "Metrics:ScrapeToken must be at least 24 characters.")]
    public string? ScrapeToken { get; set; }
}

public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static IServiceCollection AddPortalMetricsEndpoint(this IServiceCollection services)
    {
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    /// <summary>The Prometheus scrape endpoint, guarded by the scrape token instead of a user sign-in.</summary>
    public static WebApplication MapPortalMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var token = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.ScrapeToken;
        if (string.IsNullOrEmpty(token))
        {
            return app;
        }

        var expected = Encoding.UTF8.GetBytes("Bearer " + token);
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Path), branch => branch.Use(async (context, next) =>
        {
            var presented = Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString());
            if (!CryptographicOperations.FixedTimeEquals(presented, expected))
            {
                // A scraper gets the bare status, not the people's not-found page (which would ask it to sign in).
                context.Features.Get<IStatusCodePagesFeature>()?.Enabled = false;
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer realm=\"metrics\"";
                return;
            }

            await next(context);
        }));
        app.MapPrometheusScrapingEndpoint(Path).AllowAnonymous();
        return app;
    }
}
