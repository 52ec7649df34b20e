using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;
using Portal.Identity.Settings;

namespace Portal.Hosting;

/// <summary>
/// The Host header is the client's to choose, so nothing the portal builds (the sign-in redirect, the OpenID Connect
/// <c>redirect_uri</c>, links in pages) may take it from there once the public address is known. With
/// <c>Authentication:PublicOrigin</c> set, requests for any other host name are refused (400) unless
/// <c>AllowedHosts</c> says otherwise, and the requests that are let in are handled as if addressed to the public host.
/// Without it (development, the demo, a portal reached at its listening address) every host name is accepted.
/// </summary>
public static class PublicHost
{
    /// <summary>Names the machine itself uses: probes, the container's health check, the CLI.</summary>
    public static readonly IReadOnlyList<string> LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    public static IServiceCollection AddPortalHostFiltering(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // ASP.NET Core reads AllowedHosts itself (default: every host); only the default is narrowed here.
        services.AddOptions<HostFilteringOptions>().PostConfigure<IOptions<PortalAuthenticationOptions>>((o, authentication) =>
        {
            if (string.IsNullOrWhiteSpace(configuration["AllowedHosts"]) && Origin(authentication.Value) is { } origin)
            {
                o.AllowedHosts = [HostString.FromUriComponent(origin).Host, .. LoopbackHosts];
            }
        });
        return services;
    }

    /// <summary>With a public origin configured, every request is handled under its host name, whatever the client sent.</summary>
    public static IApplicationBuilder UsePublicHost(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (Origin(app.ApplicationServices.GetRequiredService<IOptions<PortalAuthenticationOptions>>().Value) is not { } origin)
        {
            return app;
        }

        var host = HostString.FromUriComponent(origin);
        return app.Use((context, next) =>
        {
            context.Request.Host = host;
            return next(context);
        });
    }

    private static Uri? Origin(PortalAuthenticationOptions settings) =>
        !string.IsNullOrWhiteSpace(settings.PublicOrigin) && Uri.TryCreate(settings.PublicOrigin, UriKind.Absolute, out var origin) ? origin : null;
}
