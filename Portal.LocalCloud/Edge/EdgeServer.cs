using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Portal.LocalCloud.Resources;
using Portal.LocalCloud.S3;

namespace Portal.LocalCloud.Edge;

/// <summary>
/// The local cloud's edge: serves every distribution in the resource index on 127.0.0.1 as CloudFront would
/// (<see cref="EdgeRequestHandler"/>), on two ports.
/// <list type="bullet">
/// <item>Plain HTTP is what the sandbox's links use (<see cref="SiteUrl"/>, <c>http://alias.localhost:port/</c>):
/// a browser opens it with no certificate warning and nothing to install, and the traffic never leaves the
/// machine. For such a <c>*.localhost</c> name the viewer protocol policy is not applied, since a redirect would
/// land on a certificate the browser does not trust. A real name (the alias, or <c>dxxxx.cloudfront.net</c>) over
/// plain HTTP meets the policy as at CloudFront: <c>redirect-to-https</c> answers 301 to the HTTPS port,
/// <c>https-only</c> answers 403.</item>
/// <item>HTTPS speaks HTTP/2 and HTTP/1.1 (ALPN), and picks by SNI a certificate for the name, issued by the
/// <see cref="LocalCertificateAuthority"/> of the data folder: a client that trusts that authority sees what a
/// viewer of CloudFront sees.</item>
/// </list>
/// </summary>
public sealed class EdgeServer : IAsyncDisposable, IDisposable
{
    /// <summary>Answered on the bare loopback host only (no distribution has such a name), for health checks.</summary>
    public const string HealthPath = "/_edge/health";

    private readonly WebApplication _app;
    private readonly EdgeAccounts _handler;

    private EdgeServer(WebApplication app, EdgeAccounts handler, LocalCertificateAuthority authority)
    {
        _app = app;
        _handler = handler;
        CertificateAuthority = authority;
    }

    public int HttpPort { get; private set; }

    public int HttpsPort { get; private set; }

    public LocalCertificateAuthority CertificateAuthority { get; }

    public Uri HttpEndpoint => new("http://127.0.0.1:" + HttpPort.ToString(CultureInfo.InvariantCulture) + "/");

    public Uri HttpsEndpoint => new("https://127.0.0.1:" + HttpsPort.ToString(CultureInfo.InvariantCulture) + "/");

    /// <summary>What a health check requests: 200 while the edge serves.</summary>
    public Uri HealthUrl => new(HttpEndpoint, HealthPath);

    /// <summary>The address a person's browser opens for a distribution's alias.</summary>
    public Uri SiteUrl(string alias)
    {
        ArgumentNullException.ThrowIfNull(alias);
        return new Uri("http://" + EdgeHosts.Canonical(alias) + EdgeHosts.LocalSuffix + ":" + HttpPort.ToString(CultureInfo.InvariantCulture) + "/");
    }

    /// <summary>The same over HTTPS, for a client that trusts the local certificate authority.</summary>
    public Uri SecureSiteUrl(string alias)
    {
        ArgumentNullException.ThrowIfNull(alias);
        return new Uri("https://" + EdgeHosts.Canonical(alias) + EdgeHosts.LocalSuffix + ":" + HttpsPort.ToString(CultureInfo.InvariantCulture) + "/");
    }

    public static Task<EdgeServer> StartAsync(EdgeOptions options, ResourceIndex index, S3Service s3, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(s3);
        return StartAsync(options, () => [new EdgeAccount(index, s3)], clock, cancellationToken);
    }

    /// <summary>
    /// Serves the distributions of several accounts, read at each request (accounts may appear later); a distribution
    /// reads the buckets and functions of its own account, as at CloudFront.
    /// </summary>
    public static async Task<EdgeServer> StartAsync(EdgeOptions options, Func<IReadOnlyList<EdgeAccount>> accounts, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(accounts);
        clock ??= TimeProvider.System;
        var authority = LocalCertificateAuthority.OpenOrCreate(options.DataDirectory, clock);
        EdgeServer? server = null;
        var handler = new EdgeAccounts(accounts, new CloudFrontFunctionRuntime(options.FunctionTimeBudget), () => server?.HttpsPort ?? 0);

        // An empty builder reads no appsettings and no ASPNETCORE_ variables: the edge runs inside the portal's
        // process, whose own Kestrel endpoints must not be bound a second time here.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(EdgeServer).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, options.HttpPort, listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.Listen(IPAddress.Loopback, options.HttpsPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    // Only served names get a certificate of their own, so a client naming anything cannot grow the cache.
                    ServerCertificateSelector = (_, name) => authority.ServerCertificate(
                        !string.IsNullOrEmpty(name) && EdgeHosts.Find(handler.Distributions(), name) is not null ? EdgeHosts.Canonical(name) : "localhost"),
                });
            });
        });
        var app = builder.Build();
        server = new EdgeServer(app, handler, authority);
        app.Run(server.ServeAsync);
        await app.StartAsync(cancellationToken);

        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses
            .Select(a => new Uri(a)).ToList();
        server.HttpPort = addresses.First(a => a.Scheme == "http").Port;
        server.HttpsPort = addresses.First(a => a.Scheme == "https").Port;
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        CertificateAuthority.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task ServeAsync(HttpContext context)
    {
        var host = context.Request.Host.Value ?? "";
        if (context.Request.Path == HealthPath && EdgeHosts.Canonical(host) is "127.0.0.1" or "localhost")
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("ok: " + _handler.Distributions().Count.ToString(CultureInfo.InvariantCulture) + " distributions\n", context.RequestAborted);
            return;
        }

        var request = new EdgeRequest(
            context.Request.IsHttps,
            host,
            context.Request.Method,
            RawPath(context),
            context.Request.QueryString.HasValue ? context.Request.QueryString.Value![1..] : "",
            context.Request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? ""))).ToList(),
            context.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1");
        var response = _handler.Handle(request);

        context.Response.StatusCode = response.Status;
        if (response.Reason is { Length: > 0 } reason && context.Request.Protocol == "HTTP/1.1")
        {
            context.Features.GetRequiredFeature<IHttpResponseFeature>().ReasonPhrase = reason;
        }

        foreach (var (name, value) in response.Headers)
        {
            context.Response.Headers[name] = value;
        }

        foreach (var cookie in response.SetCookies)
        {
            context.Response.Headers.Append("Set-Cookie", cookie);
        }

        if (response.Status is not (204 or 304))
        {
            context.Response.ContentLength = response.Body.Length;
        }

        if (!HttpMethods.IsHead(context.Request.Method) && response.Body.Length > 0)
        {
            await context.Response.Body.WriteAsync(response.Body, context.RequestAborted);
        }
    }

    // The path as the viewer sent it (percent-escapes kept), which is what CloudFront hands a function as uri.
    private static string RawPath(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "/";
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        var path = query >= 0 ? raw[..query] : raw;
        return path.StartsWith('/') ? path : context.Request.Path.Value is { Length: > 0 } decoded ? decoded : "/";
    }

    /// <summary>Each account's request handler, made on first use; a request goes to the account whose distribution has the name.</summary>
    private sealed class EdgeAccounts(Func<IReadOnlyList<EdgeAccount>> accounts, CloudFrontFunctionRuntime runtime, Func<int> httpsPort)
    {
        private readonly System.Runtime.CompilerServices.ConditionalWeakTable<ResourceIndex, EdgeRequestHandler> _handlers = new();

        public IReadOnlyList<EdgeDistribution> Distributions() => [.. Handlers().SelectMany(h => h.Distributions())];

        public EdgeResponse Handle(EdgeRequest request)
        {
            var handlers = Handlers();
            var owner = handlers.FirstOrDefault(h => EdgeHosts.Find(h.Distributions(), request.Host) is not null) ?? handlers[0];
            return owner.Handle(request);
        }

        private List<EdgeRequestHandler> Handlers() =>
            [.. accounts().Select(a => _handlers.GetValue(a.Index, index => new EdgeRequestHandler(index, a.S3, runtime, httpsPort, a.AccountId)))];
    }
}

/// <summary>One account's resources and buckets, as the edge reads them; <paramref name="AccountId"/> null for the default account.</summary>
public sealed record EdgeAccount(ResourceIndex Index, S3Service S3, string? AccountId = null);
