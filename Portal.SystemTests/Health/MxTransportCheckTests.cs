using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Health;
using Portal.Health;
using Portal.Infrastructure.Health;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Health;

/// <summary>
/// Real MX hosts in a private network: one Postfix instance with three SMTP services on their own addresses (STARTTLS
/// with a certificate for the MX name, STARTTLS with a certificate for another name, no STARTTLS) and a fourth MX
/// address where nothing listens. The MX transport check's findings per host are compared with what
/// <c>testssl --starttls smtp</c> reports for the same services (STARTTLS offered, protocol, certificate name match,
/// chain, expiry).
/// </summary>
public sealed class MxTransportCheckTests(MxTransportNetwork fixture) : IClassFixture<MxTransportNetwork>
{
    [Fact]
    public async Task Each_mx_host_gets_its_transport_result_and_findings()
    {
        var report = await fixture.CheckAsync();
        var hosts = report.MxHosts.ToDictionary(h => h.Host);

        var good = hosts["mx1.mail.test"];
        Assert.True(good.Passes, good.Problem);
        Assert.Equal("TLSv1.3", good.TlsVersion);
        Assert.NotNull(good.CertificateExpires);
        Assert.Equal(fixture.Good.NotAfter.UtcDateTime, good.CertificateExpires.Value.UtcDateTime, TimeSpan.FromSeconds(1));
        Assert.Equal(true, good.MatchesPolicy);

        var wrongName = hosts["mx2.mail.test"];
        Assert.Equal((true, true, "TLSv1.3", false), (wrongName.Reachable, wrongName.StartTls, wrongName.TlsVersion, wrongName.CertificateValidForName));
        Assert.Contains(wrongName.CertificateProblems, p => p.StartsWith("The certificate does not name mx2.mail.test", StringComparison.Ordinal));

        var plain = hosts["mx3.mail.test"];
        Assert.Equal((true, false, (string?)null), (plain.Reachable, plain.StartTls, plain.TlsVersion));
        Assert.Equal(false, plain.MatchesPolicy);

        var silent = hosts["mx4.mail.test"];
        Assert.False(silent.Reachable);

        Assert.Equal(
            [("mx.transport-ok", FindingSeverity.Pass), ("mx.certificate-invalid", FindingSeverity.Error), ("mx.starttls-missing", FindingSeverity.Error), ("mx.not-checked", FindingSeverity.Info)],
            report.Findings.Where(f => f.Id.StartsWith("mx.", StringComparison.Ordinal)).Select(f => (f.Id, f.Severity)));
    }

    [Fact]
    public async Task The_findings_agree_with_testssl_for_the_same_hosts()
    {
        var report = await fixture.CheckAsync();
        var hosts = report.MxHosts.ToDictionary(h => h.Host);
        var scans = await Task.WhenAll(fixture.Services.Select(s => fixture.TestSslAsync(s.Host, s.Address)));

        foreach (var scan in scans)
        {
            var mx = hosts[scan.Host];
            Assert.True(mx.StartTls == scan.StartTlsOffered, $"{scan.Host}: STARTTLS {mx.StartTls} here, testssl {scan.StartTlsOffered}\n{scan.Log}");
            if (scan.StartTlsOffered)
            {
                // The version negotiated here is the highest testssl finds offered.
                Assert.True(scan.HighestProtocol == mx.TlsVersion, $"{scan.Host}: {mx.TlsVersion} here, testssl highest {scan.HighestProtocol}\n{scan.Log}");
                Assert.True(mx.CertificateValidForName == (scan.NameMatches && scan.ChainTrusted),
                    $"{scan.Host}: valid for name {mx.CertificateValidForName} here, testssl trust '{scan.Trust}', chain '{scan.Chain}'");
                Assert.Equal(scan.NotAfter, mx.CertificateExpires?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
            }
        }

        Assert.Equal(["mx1.mail.test", "mx2.mail.test", "mx3.mail.test"], scans.Select(s => s.Host));
        Assert.Equal([true, false], scans.Where(s => s.StartTlsOffered).Select(s => s.NameMatches));
    }

    [Fact]
    public async Task With_the_checks_off_no_mx_host_is_contacted()
    {
        var report = await fixture.CheckAsync(enabled: false);

        Assert.Empty(report.MxHosts);
        Assert.DoesNotContain(report.Findings, f => f.Id.StartsWith("mx.", StringComparison.Ordinal));
    }
}

/// <summary>What testssl.sh reported for one STARTTLS SMTP service, read from its JSON findings.</summary>
public sealed record TestSslScan(string Host, bool StartTlsOffered, string? HighestProtocol, string? Trust, string? Chain, string? NotAfter, string Log)
{
    public bool NameMatches => Trust?.StartsWith("Ok", StringComparison.Ordinal) == true;

    public bool ChainTrusted => Chain?.StartsWith("passed", StringComparison.Ordinal) == true;
}

/// <summary>The private network with its DNS, the MTA-STS policy site and one Postfix instance serving the MX hosts.</summary>
public sealed class MxTransportNetwork : IAsyncLifetime
{
    private const string Domain = "mail.test";
    private PrivateNetwork? network;

    public PrivateNetwork Network => network ?? throw new InvalidOperationException("The network is not created yet.");

    public IssuedCertificate Good { get; private set; } = null!;

    /// <summary>The SMTP services Postfix runs: host name and address.</summary>
    public IReadOnlyList<(string Host, IPAddress Address)> Services { get; private set; } = [];

    public async Task<HealthReport> CheckAsync(bool enabled = true)
    {
        var settings = HealthFixtureNetwork.EngineSettings(Network);
        settings["Health:CheckMxTransport"] = enabled ? "true" : "false";
        settings["Health:Timeout"] = "00:00:10";
        settings["Health:SmtpHeloName"] = "checker.test";
        await using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddPortalHealth()
            .BuildServiceProvider();
        return await services.GetRequiredService<HealthChecker>().CheckMailAsync(Domain);
    }

    public async Task<TestSslScan> TestSslAsync(string host, IPAddress address)
    {
        var json = Path.Combine(Network.Directory, $"testssl-{host}.json");
        File.Delete(json);
        var run = await Network.RunAsync("testssl",
            ["--quiet", "--color", "0", "--warnings", "off", "--add-ca", Network.CertificateAuthority.PemPath, "--starttls", "smtp", "--protocols", "--server-defaults",
             "--connect-timeout", "10", "--openssl-timeout", "10", "--jsonfile", json, "--ip", address.ToString(), host + ":25"],
            timeout: TimeSpan.FromMinutes(3));
        var log = run.StandardOutput + run.StandardError;
        Assert.True(File.Exists(json), $"testssl wrote no JSON (exit {run.ExitCode}):\n{log}");
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var findings = document.RootElement.EnumerateArray()
            .Select(e => (Id: e.GetProperty("id").GetString()!, Finding: e.GetProperty("finding").GetString() ?? ""))
            .ToList();
        string? Find(string id) => findings.Where(f => f.Id == id).Select(f => f.Finding).FirstOrDefault();
        var notTls = findings.Any(f => f.Finding.Contains("doesn't seem to be a TLS/SSL enabled server", StringComparison.Ordinal));
        var highest = new[] { ("TLS1_3", "TLSv1.3"), ("TLS1_2", "TLSv1.2"), ("TLS1_1", "TLSv1.1"), ("TLS1", "TLSv1.0") }
            .FirstOrDefault(p => Find(p.Item1)?.StartsWith("offered", StringComparison.Ordinal) == true).Item2;
        return new TestSslScan(host, !notTls && highest is not null, highest, Find("cert_trust"), Find("cert_chain_of_trust"), Find("cert_notAfter"), log);
    }

    public async Task InitializeAsync()
    {
        network = await PrivateNetwork.CreateAsync();
        var addresses = await network.AllocateAddressesAsync(5);
        var ca = network.CertificateAuthority;
        Good = ca.Issue("mx1.mail.test");
        var wrong = ca.Issue("other-name.test");
        Services = [("mx1.mail.test", addresses[0]), ("mx2.mail.test", addresses[1]), ("mx3.mail.test", addresses[2])];

        await network.StartDnsAsync(new DnsZone()
            .Mx(Domain, "mx1.mail.test", 10).Mx(Domain, "mx2.mail.test", 20).Mx(Domain, "mx3.mail.test", 30).Mx(Domain, "mx4.mail.test", 40)
            .A("mx1.mail.test", addresses[0]).A("mx2.mail.test", addresses[1]).A("mx3.mail.test", addresses[2]).A("mx4.mail.test", addresses[3])
            .Txt("_mta-sts." + Domain, "v=STSv1; id=20261204T000000;")
            .Txt("_smtp._tls." + Domain, "v=TLSRPTv1; rua=mailto:tlsrpt@mail.test")
            .A("mta-sts." + Domain, addresses[4]));
        await network.StartWebAsync(new WebSite("mta-sts." + Domain, addresses[4])
            .File("/.well-known/mta-sts.txt", "version: STSv1\nmode: enforce\nmx: mx1.mail.test\nmx: mx2.mail.test\nmx: mx4.mail.test\nmax_age: 1209600\n", "text/plain"));

        var folder = Directory.CreateDirectory(Path.Combine(network.Directory, "postfix")).FullName;
        var config = Directory.CreateDirectory(Path.Combine(folder, "conf")).FullName;
        var queue = Directory.CreateDirectory(Path.Combine(folder, "queue")).FullName;
        var data = Directory.CreateDirectory(Path.Combine(folder, "data")).FullName;
        // Postfix's master takes its lock in the data directory as the mail owner.
        (await CommandRunner.RunAsync("chown", ["postfix", data], TimeSpan.FromSeconds(10))).EnsureSuccess();
        await File.WriteAllTextAsync(Path.Combine(config, "main.cf"), string.Join('\n',
            "compatibility_level = 3.6",
            $"queue_directory = {queue}",
            $"data_directory = {data}",
            "mail_owner = postfix",
            "myhostname = mx1.mail.test",
            "inet_interfaces = all",
            "inet_protocols = ipv4",
            $"maillog_file = {folder}/maillog",
            $"maillog_file_prefixes = {folder}",
            "mydestination =",
            "alias_maps =",
            "alias_database =",
            "notify_classes =",
            "smtpd_tls_security_level = may",
            $"smtpd_tls_cert_file = {Good.CertificatePemPath}",
            $"smtpd_tls_key_file = {Good.PrivateKeyPemPath}",
            "") + "\n");
        await File.WriteAllTextAsync(Path.Combine(config, "master.cf"), string.Join('\n',
            $"{addresses[0]}:25 inet n - n - - smtpd",
            $"{addresses[1]}:25 inet n - n - - smtpd -o smtpd_tls_cert_file={wrong.CertificatePemPath} -o smtpd_tls_key_file={wrong.PrivateKeyPemPath}",
            $"{addresses[2]}:25 inet n - n - - smtpd -o smtpd_tls_security_level=none",
            "pickup unix n - n 60 1 pickup",
            "cleanup unix n - n - 0 cleanup",
            "qmgr unix n - n 300 1 qmgr",
            "tlsmgr unix - - n 1000? 1 tlsmgr",
            "rewrite unix - - n - - trivial-rewrite",
            "bounce unix - - n - 0 bounce",
            "defer unix - - n - 0 bounce",
            "trace unix - - n - 0 bounce",
            "verify unix - - n - 1 verify",
            "flush unix n - n 1000? 0 flush",
            "proxymap unix - - n - - proxymap",
            "smtp unix - - n - - smtp",
            "relay unix - - n - - smtp",
            "error unix - - n - - error",
            "retry unix - - n - - error",
            "discard unix - - n - - discard",
            "local unix - n n - - local",
            "anvil unix - - n - 1 anvil",
            "scache unix - - n - 1 scache",
            "postlog unix-dgram n - n - 1 postlogd",
            "") + "\n");
        await network.StartServerAsync("postfix", "postfix", ["-c", config, "start-fg"],
            [.. addresses.Take(3).Select(a => new IPEndPoint(a, 25))]);
    }

    public async Task DisposeAsync()
    {
        if (network is not null)
        {
            await network.DisposeAsync();
        }
    }
}
