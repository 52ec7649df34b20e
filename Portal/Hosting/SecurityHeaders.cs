using Portal.Identity.Settings;
using Microsoft.Extensions.Options;
using Portal.Identity;

namespace Portal.Hosting;

/// <summary>
/// Strict security headers on every response of the portal (pages, API, sign-in pages, probes). The CSP allows
/// scripts only from the portal itself (Blazor Server and MudBlazor need no eval); inline styles stay allowed because
/// Blazor and MudBlazor set style attributes. Forms may also post to the identity provider (its sign-out).
/// </summary>
public static class SecurityHeaders
{
    public const string PermissionsPolicy =
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

    public static string ContentSecurityPolicy(IEnumerable<string> formTargets) =>
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; " +
        $"form-action {string.Join(' ', formTargets.Prepend("'self'"))}";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var settings = app.ApplicationServices.GetRequiredService<IOptions<PortalAuthenticationOptions>>().Value;
        var configuration = app.ApplicationServices.GetRequiredService<IConfiguration>();
        var provider = settings.Mode switch
        {
            IdentityProviderMode.Generic => settings.Authority,
            IdentityProviderMode.Entra => configuration["AzureAd:Instance"] ?? "https://login.microsoftonline.com/",
            _ => null,
        };
        var targets = provider is not null && Uri.TryCreate(provider, UriKind.Absolute, out var uri) ? [uri.GetLeftPart(UriPartial.Authority)] : Array.Empty<string>();
        var csp = ContentSecurityPolicy(targets);

        return app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = csp;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "same-origin";
                headers["Permissions-Policy"] = PermissionsPolicy;
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                if (context.Request.IsHttps)
                {
                    headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
                }

                return Task.CompletedTask;
            });
            await next(context);
        });
    }
}
