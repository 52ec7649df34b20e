using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Health;
using Portal.Infrastructure.Health;
using Portal.Health;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Health;

/// <summary>
/// One private network serving a fixture per health checklist item at once: every mail domain and site below has
/// its own names and address, so the checks of all test classes in <see cref="HealthFixtureCollection"/> run against
/// the same dnsmasq and nginx without restarting them.
/// </summary>
public sealed class HealthFixtureNetwork : IAsyncLifetime
{
    public const string PolicyPath = "/.well-known/mta-sts.txt";

    /// <summary>Where redirect.test's policy path points; it serves a valid policy, which a client following redirects would get.</summary>
    public const string MovedPolicyPath = "/moved/mta-sts.txt";

    /// <summary>The engine's limit per network step; the slow fixture takes far longer than this.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private readonly List<string> mailDomains = [];
    private PrivateNetwork? network;
    private ServiceProvider? services;

    public PrivateNetwork Network => network ?? throw new InvalidOperationException("The network is not created yet.");

    /// <summary>Every mail fixture domain (for the parity test), including those without any record.</summary>
    public IReadOnlyList<string> MailDomains => mailDomains;

    public IssuedCertificate ExpiredMailCertificate { get; private set; } = null!;

    public IssuedCertificate ExpiredSiteCertificate { get; private set; } = null!;

    public IssuedCertificate ExpiringSiteCertificate { get; private set; } = null!;

    public HealthChecker Checker => services!.GetRequiredService<HealthChecker>();

    public Task<HealthReport> MailAsync(string domain, HealthReport? previous = null) => Checker.CheckMailAsync(domain, previous);

    public Task<HealthReport> SiteAsync(string host) => Checker.CheckSiteAsync(host);

    /// <summary>The engine as the portal builds it, from configuration: fixture DNS, the test CA trusted, short timeouts.</summary>
    public static ServiceProvider BuildEngine(PrivateNetwork network, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(EngineSettings(network)).Build();
        var collection = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        if (clock is not null)
        {
            collection.AddSingleton(clock);
        }

        return collection.AddPortalHealth().BuildServiceProvider();
    }

    /// <summary>The engine's settings for this network; its private blocks are allowed through <c>Health:AllowedNetworks</c>.</summary>
    public static Dictionary<string, string?> EngineSettings(PrivateNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var settings = new Dictionary<string, string?>
        {
            ["Dns:Servers:0"] = network.DnsEndPoint.ToString(),
            ["Dns:Timeout"] = "00:00:02",
            ["Health:Timeout"] = Timeout.ToString("c", CultureInfo.InvariantCulture),
            ["Health:ExtraTrustedRootsFile"] = network.CertificateAuthority.PemPath,

            // The fixture's mail domains have no mail servers; the MX transport tests turn this on with their own.
            ["Health:CheckMxTransport"] = "false",
        };
        foreach (var (key, value) in network.AllowedNetworkSettings())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>A policy with the given lines joined by <paramref name="newline"/> and ended by it.</summary>
    public static string Policy(string newline, params string[] lines) => string.Concat(lines.Select(l => l + newline));

    public static string EnforcePolicy(string domain) => Policy("\n", "version: STSv1", "mode: enforce", "mx: mx1." + domain, "max_age: 1209600");

    public async Task InitializeAsync()
    {
        network = await PrivateNetwork.CreateAsync();
        var zone = new DnsZone();
        var sites = new List<WebSite>();
        var ca = network.CertificateAuthority;
        var now = DateTimeOffset.UtcNow;
        ExpiredMailCertificate = ca.IssueExpired("mta-sts.expired-cert.test");
        ExpiredSiteCertificate = ca.IssueExpired("site-expired.test");
        ExpiringSiteCertificate = ca.Issue(["site-expiring.test"], now.AddDays(-80), now.AddDays(10).AddHours(12));
        using var otherCa = new TestCertificateAuthority(Path.Combine(network.Directory, "other-ca"), name: "Unknown CA");
        var untrusted = otherCa.Issue("mta-sts.untrusted.test");

        async Task Mail(string domain, string? policy, string contentType = "text/plain", string[]? record = null, bool tlsRpt = true,
            Func<WebSite, WebSite>? shape = null, string[]? mx = null)
        {
            mailDomains.Add(domain);
            foreach (var (host, preference) in (mx ?? ["mx1." + domain]).Select((h, i) => (h, (ushort)(10 * (i + 1)))))
            {
                zone.Mx(domain, host, preference);
            }

            if (record is not null)
            {
                zone.Txt("_mta-sts." + domain, record);
            }

            if (tlsRpt)
            {
                zone.Txt("_smtp._tls." + domain, $"v=TLSRPTv1; rua=mailto:tlsrpt@{domain}");
            }

            if (policy is not null || shape is not null)
            {
                var address = await network.AllocateAddressAsync();
                zone.A("mta-sts." + domain, address);
                var site = new WebSite("mta-sts." + domain, address);
                site = shape is null ? site.File(PolicyPath, policy!, contentType) : shape(site);
                sites.Add(site);
            }
        }

        string[] Id(string id = "20260101T000000") => [$"v=STSv1; id={id};"];

        // Record: exactly one v=STSv1 record, joined strings, CNAME followed.
        await Mail("valid.test", EnforcePolicy("valid.test"), record: Id());
        await Mail("among-others.test", EnforcePolicy("among-others.test"), record: Id());
        zone.Txt("_mta-sts.among-others.test", "google-site-verification=abc123");
        await Mail("multi-string.test", EnforcePolicy("multi-string.test"), record: ["v=STSv1; ", "id=20240501T1200;"]);
        await Mail("cname.test", EnforcePolicy("cname.test"));
        zone.Cname("_mta-sts.cname.test", "_mta-sts.policy-target.test").Txt("_mta-sts.policy-target.test", "v=STSv1; id=viacname1;");
        await Mail("two-records.test", EnforcePolicy("two-records.test"), record: Id("first1"));
        zone.Txt("_mta-sts.two-records.test", "v=STSv1; id=second2;");
        await Mail("bad-id.test", EnforcePolicy("bad-id.test"), record: Id("2026-01-01"));
        await Mail("long-id.test", EnforcePolicy("long-id.test"), record: Id(new string('a', 33)));
        await Mail("no-record.test", null);
        await Mail("no-host.test", null, record: Id());

        // Policy host: certificates, status, redirects, media type, size, time.
        await Mail("expired-cert.test", null, record: Id());
        sites.Add((await PolicySiteAsync("expired-cert.test")).WithCertificate(ExpiredMailCertificate));
        await Mail("wrong-name.test", null, record: Id());
        sites.Add((await PolicySiteAsync("wrong-name.test")).WithCertificate(ca.IssueForWrongName()));
        await Mail("untrusted.test", null, record: Id());
        sites.Add((await PolicySiteAsync("untrusted.test")).WithCertificate(untrusted));
        await Mail("redirect.test", null, record: Id(), shape: s => s.Redirect(PolicyPath, 301, MovedPolicyPath).File(MovedPolicyPath, EnforcePolicy("redirect.test")));
        await Mail("not-found.test", null, record: Id(), shape: s => s.Respond(PolicyPath, 404, "not here"));
        await Mail("json-type.test", EnforcePolicy("json-type.test"), "application/json", record: Id());
        await Mail("too-large.test", EnforcePolicy("too-large.test") + string.Concat(Enumerable.Range(0, 1200).Select(i => $"padding{i}: {new string('x', 50)}\n")), record: Id());
        await Mail("slow.test", null, record: Id(), shape: s => s.File(PolicyPath, EnforcePolicy("slow.test") + string.Concat(Enumerable.Range(0, 40).Select(i => $"pad{i}: {new string('y', 60)}\n")), "text/plain", bytesPerSecond: 64));

        // Policy grammar.
        await Mail("lf.test", EnforcePolicy("lf.test"), record: Id());
        await Mail("crlf.test", Policy("\r\n", "version: STSv1", "mode: enforce", "mx: mx1.crlf.test", "max_age: 1209600"), record: Id());
        await Mail("unknown-keys.test", Policy("\n", "version: STSv1", "mode: enforce", "future_extension: some value", "mx: mx1.unknown-keys.test", "max_age: 1209600"), record: Id());
        await Mail("first-value.test", Policy("\n", "version: STSv1", "mode: enforce", "mode: testing", "mx: mx1.first-value.test", "max_age: 1209600"), record: Id());
        await Mail("no-version.test", Policy("\n", "mode: enforce", "mx: mx1.no-version.test", "max_age: 1209600"), record: Id());
        await Mail("bad-mode.test", Policy("\n", "version: STSv1", "mode: Enforce", "mx: mx1.bad-mode.test", "max_age: 1209600"), record: Id());
        await Mail("signed-max-age.test", Policy("\n", "version: STSv1", "mode: enforce", "mx: mx1.signed-max-age.test", "max_age: +1209600"), record: Id());
        await Mail("huge-max-age.test", Policy("\n", "version: STSv1", "mode: enforce", "mx: mx1.huge-max-age.test", "max_age: 31557601"), record: Id());
        await Mail("none-mode.test", Policy("\n", "version: STSv1", "mode: none", "max_age: 86400"), record: Id());
        await Mail("no-mx.test", Policy("\n", "version: STSv1", "mode: enforce", "max_age: 1209600"), record: Id());

        // MX coverage and warnings.
        await Mail("uncovered-enforce.test", EnforcePolicy("uncovered-enforce.test"), record: Id(), mx: ["mx1.uncovered-enforce.test", "backup.elsewhere.test"]);
        await Mail("uncovered-testing.test", Policy("\n", "version: STSv1", "mode: testing", "mx: mx1.uncovered-testing.test", "max_age: 1209600"), record: Id(),
            mx: ["mx1.uncovered-testing.test", "backup.elsewhere.test"]);
        await Mail("wildcard.test", Policy("\n", "version: STSv1", "mode: enforce", "mx: *.mx.wildcard.test", "max_age: 1209600"), record: Id(),
            mx: ["a.mx.wildcard.test", "deep.b.mx.wildcard.test", "mx.wildcard.test"]);
        await Mail("testing.test", Policy("\n", "version: STSv1", "mode: testing", "mx: mx1.testing.test", "max_age: 1209600"), record: Id());
        await Mail("short-max-age.test", Policy("\n", "version: STSv1", "mode: enforce", "mx: mx1.short-max-age.test", "max_age: 86400"), record: Id());
        await Mail("broad.test", Policy("\n", "version: STSv1", "mode: enforce", "mx: *.test", "max_age: 1209600"), record: Id(), mx: ["broadmx.test"]);
        await Mail("testing-no-tlsrpt.test", Policy("\n", "version: STSv1", "mode: testing", "mx: mx1.testing-no-tlsrpt.test", "max_age: 1209600"), record: Id(), tlsRpt: false);

        // TLS-RPT.
        await Mail("tlsrpt-invalid.test", EnforcePolicy("tlsrpt-invalid.test"), record: Id(), tlsRpt: false);
        zone.Txt("_smtp._tls.tlsrpt-invalid.test", "v=TLSRPTv1; rua=ftp://reports.tlsrpt-invalid.test/");
        await Mail("no-tlsrpt.test", EnforcePolicy("no-tlsrpt.test"), record: Id(), tlsRpt: false);
        await Mail("tlsrpt-multiple.test", EnforcePolicy("tlsrpt-multiple.test"), record: Id());
        zone.Txt("_smtp._tls.tlsrpt-multiple.test", "v=TLSRPTv1; rua=mailto:other@tlsrpt-multiple.test");

        await AddSitesAsync(zone, sites);
        await network.StartDnsAsync(zone);
        await network.StartWebAsync(sites, CancellationToken.None);
        services = BuildEngine(network);

        async Task<WebSite> PolicySiteAsync(string domain)
        {
            var address = await network.AllocateAddressAsync();
            zone.A("mta-sts." + domain, address);
            return new WebSite("mta-sts." + domain, address).File(PolicyPath, EnforcePolicy(domain));
        }
    }

    /// <summary>A page over 1,000 bytes (CloudFront's compression threshold) so compression is expected.</summary>
    public static readonly string HomePage = "<!doctype html><html><head><title>Fixture</title></head><body>"
        + string.Concat(Enumerable.Range(0, 60).Select(i => $"<p>Paragraph {i} of the fixture home page.</p>")) + "</body></html>";

    public static readonly KeyValuePair<string, string>[] StrongHeaders =
    [
        new("Strict-Transport-Security", "max-age=31536000; includeSubDomains; preload"),
        new("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"),
        new("X-Frame-Options", "DENY"),
        new("X-Content-Type-Options", "nosniff"),
        new("Referrer-Policy", "strict-origin-when-cross-origin"),
    ];

    private async Task AddSitesAsync(DnsZone zone, List<WebSite> sites)
    {
        var net = Network;

        async Task<WebSite> Site(string host, bool ipv4 = true, bool ipv6 = true, bool http2 = true, bool compression = true,
            bool redirect = true, bool headers = true, IssuedCertificate? certificate = null, TlsVersions protocols = TlsVersions.Modern)
        {
            WebSite? first = null;
            foreach (var family in new[] { (ipv4, AddressFamily.InterNetwork), (ipv6, AddressFamily.InterNetworkV6) }.Where(f => f.Item1).Select(f => f.Item2))
            {
                var address = await net.AllocateAddressAsync(family);
                if (family == AddressFamily.InterNetwork)
                {
                    zone.A(host, address);
                }
                else
                {
                    zone.Aaaa(host, address);
                }

                var site = new WebSite(host, address).File("/", HomePage, "text/html; charset=utf-8").WithHttp2(http2).WithCompression(compression).WithProtocols(protocols);
                site = redirect ? site.RedirectHttpToHttps() : site.ServeOver(WebSchemes.Https | WebSchemes.Http);
                if (certificate is not null)
                {
                    site = site.WithCertificate(certificate);
                }

                foreach (var (name, value) in headers ? StrongHeaders : [])
                {
                    site = site.Header(name, value);
                }

                sites.Add(site);
                first ??= site;
            }

            return first!;
        }

        await Site("site-good.test");
        await Site("site-no-aaaa.test", ipv6: false);
        await Site("site-no-a.test", ipv4: false);
        zone.Txt("site-no-address.test", "v=spf1 -all");
        await Site("site-expired.test", certificate: ExpiredSiteCertificate);
        await Site("site-expiring.test", certificate: ExpiringSiteCertificate);
        await Site("site-tls10.test", http2: false, protocols: TlsVersions.Tls10);
        await Site("site-no-h2.test", http2: false);
        await Site("site-http-redirect-missing.test", redirect: false);
        await Site("site-bare-headers.test", headers: false);
        await Site("site-no-compression.test", compression: false);
    }

    public async Task DisposeAsync()
    {
        if (services is not null)
        {
            await services.DisposeAsync();
        }

        if (network is not null)
        {
            await network.DisposeAsync();
        }
    }
}
