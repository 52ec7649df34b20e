using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portal.Tests.Infrastructure;

/// <summary>Writes an nginx configuration, with its content files, serving a set of <see cref="WebSite"/>s.</summary>
internal static class NginxConfig
{
    public const int HttpsPort = 443;
    public const int HttpPort = 80;

    /// <summary>Writes <c>nginx.conf</c> and the site files under <paramref name="prefix"/>; returns the config path and every listening endpoint.</summary>
    public static (string ConfigPath, IReadOnlyList<IPEndPoint> Listeners) Write(
        string prefix,
        IReadOnlyList<WebSite> sites,
        Func<WebSite, IssuedCertificate> certificateFor)
    {
        CheckConsistency(sites);

        var content = Path.Combine(prefix, "content");
        if (Directory.Exists(content))
        {
            Directory.Delete(content, recursive: true);
        }

        var empty = Directory.CreateDirectory(Path.Combine(content, "empty")).FullName;
        var temp = Directory.CreateDirectory(Path.Combine(prefix, "temp")).FullName;

        var config = new StringBuilder();
        config.Append("# Fixture web server: every path below lives in the fixture's own folder.\n");
        config.Append("daemon off;\nmaster_process on;\nworker_processes 1;\n");
        config.Append("pid ").Append(Path.Combine(prefix, "nginx.pid")).Append(";\n");
        config.Append("error_log ").Append(Path.Combine(prefix, "error.log")).Append(" notice;\n");
        config.Append("events { worker_connections 4096; }\n");
        config.Append("http {\n");
        config.Append("  access_log ").Append(Path.Combine(prefix, "access.log")).Append(";\n");
        foreach (var kind in new[] { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" })
        {
            config.Append("  ").Append(kind).Append("_temp_path ").Append(Path.Combine(temp, kind)).Append(";\n");
        }

        config.Append("  sendfile on;\n  server_tokens off;\n  types { }\n  default_type application/octet-stream;\n");
        config.Append("  server_names_hash_bucket_size 256;\n  server_names_hash_max_size 65536;\n");

        // nginx has no escape for '$' in strings; this variable stands for a literal dollar sign.
        config.Append("  geo $fixture_dollar { default \"$\"; }\n");

        var defaultSeen = new HashSet<IPEndPoint>();
        for (var siteIndex = 0; siteIndex < sites.Count; siteIndex++)
        {
            var site = sites[siteIndex];
            var folder = Directory.CreateDirectory(Path.Combine(content, siteIndex.ToString(CultureInfo.InvariantCulture))).FullName;
            var files = WriteFiles(site, folder);

            if (site.Schemes.HasFlag(WebSchemes.Https))
            {
                var certificate = certificateFor(site);
                var endpoint = new IPEndPoint(site.Address, HttpsPort);
                config.Append("  server {\n");
                config.Append("    listen ").Append(Listen(endpoint)).Append(" ssl");
                if (site.Http2)
                {
                    config.Append(" http2");
                }

                config.Append(defaultSeen.Add(endpoint) ? " default_server" : "").Append(";\n");
                AppendServerNames(config, site);
                config.Append("    ssl_certificate ").Append(Literal(certificate.CertificatePemPath)).Append(";\n");
                config.Append("    ssl_certificate_key ").Append(Literal(certificate.PrivateKeyPemPath)).Append(";\n");
                config.Append("    ssl_protocols ").Append(Protocols(site.Protocols)).Append(";\n");
                if ((site.Protocols & (TlsVersions.Tls10 | TlsVersions.Tls11)) != 0)
                {
                    // OpenSSL 3 refuses TLS below 1.2 at its default security level.
                    config.Append("    ssl_ciphers DEFAULT@SECLEVEL=0;\n");
                }

                AppendBody(config, site, files, empty);
                config.Append("  }\n");
            }

            if (site.Schemes.HasFlag(WebSchemes.Http) || site.HttpToHttpsRedirectStatus is not null)
            {
                var endpoint = new IPEndPoint(site.Address, HttpPort);
                config.Append("  server {\n");
                config.Append("    listen ").Append(Listen(endpoint)).Append(defaultSeen.Add(endpoint) ? " default_server" : "").Append(";\n");
                AppendServerNames(config, site);
                if (site.HttpToHttpsRedirectStatus is { } status)
                {
                    config.Append("    location / {\n");
                    AppendHeaders(config, site.Headers);
                    config.Append("      return ").Append(status).Append(" https://$host$request_uri;\n    }\n");
                }
                else
                {
                    AppendBody(config, site, files, empty);
                }

                config.Append("  }\n");
            }
        }

        config.Append("}\n");
        var configPath = Path.Combine(prefix, "nginx.conf");
        File.WriteAllText(configPath, config.ToString());
        return (configPath, [.. defaultSeen]);
    }

    private static void CheckConsistency(IReadOnlyList<WebSite> sites)
    {
        foreach (var site in sites)
        {
            if (site.Schemes.HasFlag(WebSchemes.Http) && site.HttpToHttpsRedirectStatus is not null)
            {
                throw new ArgumentException(
                    $"Site {site.HostName} both serves its routes over HTTP and redirects HTTP to HTTPS; choose one.", nameof(sites));
            }
        }

        foreach (var group in sites.Where(s => s.Schemes.HasFlag(WebSchemes.Https)).GroupBy(s => s.Address))
        {
            var first = group.First();
            var different = group.FirstOrDefault(s => s.Http2 != first.Http2 || s.Protocols != first.Protocols);
            if (different is not null)
            {
                throw new ArgumentException(
                    $"Sites {first.HostName} and {different.HostName} share {group.Key} but differ in HTTP/2 or TLS versions, " +
                    "which nginx sets per listening socket; give them separate addresses.", nameof(sites));
            }
        }

        var claimed = new Dictionary<(IPAddress, int, string), string>();
        foreach (var site in sites)
        {
            var ports = new List<int>();
            if (site.Schemes.HasFlag(WebSchemes.Https))
            {
                ports.Add(HttpsPort);
            }

            if (site.Schemes.HasFlag(WebSchemes.Http) || site.HttpToHttpsRedirectStatus is not null)
            {
                ports.Add(HttpPort);
            }

            foreach (var port in ports)
            {
                foreach (var name in site.AllNames)
                {
                    if (!claimed.TryAdd((site.Address, port, name), site.HostName))
                    {
                        throw new ArgumentException(
                            $"Name {name} on {site.Address} port {port} is served by two sites ({claimed[(site.Address, port, name)]} and {site.HostName}).",
                            nameof(sites));
                    }
                }
            }
        }
    }

    private static Dictionary<string, string> WriteFiles(WebSite site, string folder)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < site.Routes.Count; i++)
        {
            var route = site.Routes[i];
            if (route is { Status: 200, Body: not null })
            {
                var file = Path.Combine(folder, i.ToString(CultureInfo.InvariantCulture));
                File.WriteAllBytes(file, route.Body);
                files[route.Path] = file;
            }
        }

        return files;
    }

    private static void AppendBody(StringBuilder config, WebSite site, Dictionary<string, string> files, string empty)
    {
        config.Append("    root ").Append(Literal(empty)).Append(";\n");
        if (site.Compression)
        {
            config.Append("    gzip on;\n    gzip_types *;\n    gzip_min_length 1;\n    gzip_vary on;\n");
        }

        config.Append("    location / {\n");
        AppendHeaders(config, site.Headers);
        if (site.RedirectAllTo is { } redirect)
        {
            config.Append("      return ").Append(redirect.Status).Append(" \"").Append(Escape(redirect.TargetOrigin, inVariableContext: true)).Append("$request_uri\";\n");
        }
        else if (site.Fallback is { } fallback)
        {
            config.Append("      types { }\n      default_type ").Append(Literal(fallback.ContentType)).Append(";\n");
            config.Append("      return ").Append(fallback.Status).Append(' ').Append(Text(fallback.Body)).Append(";\n");
        }
        else
        {
            config.Append("      return 404;\n");
        }

        config.Append("    }\n");

        for (var i = 0; i < site.Routes.Count; i++)
        {
            var route = site.Routes[i];
            config.Append("    location = ").Append(Literal(route.Path)).Append(" {\n");
            if (files.TryGetValue(route.Path, out var file))
            {
                // The file is served from an internal location so paths ending in '/' are files too, not directories.
                config.Append("      rewrite ^ ").Append(InternalFilePath(i)).Append(" last;\n    }\n");
                config.Append("    location = ").Append(InternalFilePath(i)).Append(" {\n      internal;\n");
                AppendHeaders(config, site.Headers.Concat(route.Headers));
                AppendContentType(config, route);
                if (route.BytesPerSecond is { } rate)
                {
                    config.Append("      limit_rate ").Append(rate).Append(";\n");
                }

                config.Append("      alias ").Append(Literal(file)).Append(";\n");
            }
            else if (route.Location is not null)
            {
                AppendHeaders(config, site.Headers.Concat(route.Headers));
                config.Append("      return ").Append(route.Status).Append(' ').Append(Text(route.Location)).Append(";\n");
            }
            else
            {
                AppendHeaders(config, site.Headers.Concat(route.Headers));
                AppendContentType(config, route);
                config.Append("      return ").Append(route.Status).Append(' ').Append(Text(Encoding.UTF8.GetString(route.Body ?? []))).Append(";\n");
            }

            config.Append("    }\n");
        }
    }

    private static string InternalFilePath(int routeIndex) => "/__fixture_file/" + routeIndex.ToString(CultureInfo.InvariantCulture);

    private static void AppendContentType(StringBuilder config, WebRoute route) =>
        config.Append("      types { }\n      default_type ").Append(Literal(route.ContentType ?? "")).Append(";\n");

    private static void AppendServerNames(StringBuilder config, WebSite site) =>
        config.Append("    server_name ").AppendJoin(' ', site.AllNames).Append(";\n");

    private static void AppendHeaders(StringBuilder config, IEnumerable<KeyValuePair<string, string>> headers)
    {
        foreach (var (name, value) in headers)
        {
            config.Append("      add_header ").Append(Literal(name)).Append(' ').Append(Text(value)).Append(" always;\n");
        }
    }

    private static string Listen(IPEndPoint endpoint) =>
        endpoint.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{endpoint.Address}]:{endpoint.Port}"
            : $"{endpoint.Address}:{endpoint.Port}";

    private static string Protocols(TlsVersions versions)
    {
        var names = new List<string>();
        if (versions.HasFlag(TlsVersions.Tls10))
        {
            names.Add("TLSv1");
        }

        if (versions.HasFlag(TlsVersions.Tls11))
        {
            names.Add("TLSv1.1");
        }

        if (versions.HasFlag(TlsVersions.Tls12))
        {
            names.Add("TLSv1.2");
        }

        if (versions.HasFlag(TlsVersions.Tls13))
        {
            names.Add("TLSv1.3");
        }

        return string.Join(' ', names);
    }

    /// <summary>A quoted string for directives without variables (paths, locations, types): '$' stays literal.</summary>
    private static string Literal(string value) => "\"" + Escape(value, inVariableContext: false) + "\"";

    /// <summary>A quoted string for directives that expand variables (headers, return): '$' is kept literal too.</summary>
    private static string Text(string value) => "\"" + Escape(value, inVariableContext: true) + "\"";

    private static string Escape(string value, bool inVariableContext)
    {
        var escaped = new StringBuilder();
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': escaped.Append("\\\\"); break;
                case '"': escaped.Append("\\\""); break;
                case '\n': escaped.Append("\\n"); break;
                case '\r': escaped.Append("\\r"); break;
                case '\t': escaped.Append("\\t"); break;
                case '$' when inVariableContext: escaped.Append("${fixture_dollar}"); break;
                default:
                    if (char.IsControl(c))
                    {
                        throw new ArgumentException($"The text '{value}' has a control character an nginx configuration cannot carry.", nameof(value));
                    }

                    escaped.Append(c);
                    break;
            }
        }

        return escaped.ToString();
    }
}
