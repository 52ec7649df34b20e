using Microsoft.Extensions.Options;
using System.Net;
using System.Security.Authentication;
using Portal.Core.Headers;
using Portal.Core.Health;
using Portal.Core.Networking;

namespace Portal.Infrastructure.Health;

/// <summary>
/// Checks a website the way the seed recipe promises it: dual-stack DNS, a valid certificate with time to spare, no TLS
/// below 1.2, HTTP/2, HTTP sent to HTTPS, strong security headers (graded with the MDN Observatory scoring) and compression.
/// </summary>
public sealed class SiteChecker(DnsQueries dns, TlsProbe tls, HttpFetcher http, OutboundAddressPolicy policy, IOptions<HealthOptions> options, TimeProvider clock)
{
    /// <summary>The finding of a check the outbound address policy stopped; every checker uses the same id.</summary>
    public const string AddressRefusedId = "site.address-refused";

    /// <summary>CloudFront compresses bodies from 1,000 bytes; smaller ones are expected uncompressed.</summary>
    private const int CompressibleBytes = 1000;

    public Task<HealthReport> CheckAsync(string host, HealthReport? previous, CancellationToken ct) => CheckAsync(host, previous, null, ct);

    /// <param name="missingPath">
    /// How the site should answer a path it does not have (a portal site's setting); null (a name watched by hand, the
    /// command line) does not ask.
    /// </param>
    public async Task<HealthReport> CheckAsync(string host, HealthReport? previous, MissingPathExpectation? missingPath, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(host);
        var started = clock.GetUtcNow();
        var findings = new List<Finding>();
        var a = await dns.AAsync(host, ct);
        var aaaa = await dns.AaaaAsync(host, ct);
        if (a.Records.Count == 0 && aaaa.Records.Count == 0)
        {
            findings.Add(new("site.no-address", FindingSeverity.Error, $"{host} has no A or AAAA record.", a.Problem));
            return Report(host, started, findings, null, null);
        }

        if (a.Records.Count == 0)
        {
            findings.Add(new("site.no-ipv4", FindingSeverity.Warning, $"{host} has no A record: IPv4-only clients cannot reach it.", a.Problem));
        }

        if (aaaa.Records.Count == 0)
        {
            findings.Add(new("site.no-ipv6", FindingSeverity.Warning, $"{host} has no AAAA record: the site is not reachable over IPv6.", aaaa.Problem));
        }

        // Judged here for a clear report; the connector judges again on whatever each connection really goes to.
        var decisions = a.Records.Concat(aaaa.Records).Select(policy.Check).ToList();
        var allowed = decisions.Where(d => d.Allowed).Select(d => d.Address).ToList();
        var evidence = string.Join("\n", decisions.Select(d => $"{host} {d.Address}: {OutboundAddressPolicy.Describe(d.Kind)}{(d.Allowed ? "" : ", refused")}"));
        if (allowed.Count == 0)
        {
            findings.Add(new(AddressRefusedId, FindingSeverity.Error, decisions[0].Refusal(host), evidence + "\n" + OutboundDecision.Remedy));
            return Report(host, started, findings, null, null) with { AddressRefused = true };
        }

        foreach (var skipped in decisions.Where(d => !d.Allowed))
        {
            findings.Add(new("site.address-skipped", FindingSeverity.Warning, $"{skipped.Refusal(host)}; the other addresses were checked.", OutboundDecision.Remedy));
        }

        var address = allowed[0];
        var handshake = await tls.HandshakeAsync(address, options.Value.HttpsPort, host, options.Value.Timeout, ct);
        DateTimeOffset? expires = null;
        if (handshake.Refusal is not null)
        {
            findings.Add(new(AddressRefusedId, FindingSeverity.Error, handshake.Refusal, OutboundDecision.Remedy));
        }
        else if (!handshake.Connected)
        {
            findings.Add(new("site.tls-failed", FindingSeverity.Error, $"No TLS 1.2 or newer connection to {host}.", handshake.Error, "RFC 8996"));
        }
        else
        {
            expires = handshake.Certificate?.NotAfter;
            CheckCertificate(host, handshake, findings);
            if (handshake.Protocol < SslProtocols.Tls12)
            {
                findings.Add(new("site.tls-old", FindingSeverity.Error, $"{host} negotiated {handshake.Protocol}.", null, "RFC 8996"));
            }

            if (handshake.Alpn != "h2")
            {
                findings.Add(new("site.no-http2", FindingSeverity.Warning, $"{host} does not offer HTTP/2 (ALPN gave {handshake.Alpn ?? "nothing"}).", null, "RFC 9113"));
            }
        }

        if (await tls.OffersLegacyTlsAsync(address, options.Value.HttpsPort, host, options.Value.Timeout, ct))
        {
            findings.Add(new("site.legacy-tls", FindingSeverity.Error, $"{host} still accepts TLS 1.0 or 1.1, which RFC 8996 forbids.", "ServerHello received for a TLS 1.0/1.1 ClientHello", "RFC 8996"));
        }

        var redirection = await CheckHttpAsync(host, findings, ct);
        string? grade = null;
        int? score = null;
        if (handshake.Connected)
        {
            var page = await http.GetAsync(new Uri($"https://{host}{Port(options.Value.HttpsPort, 443)}/"), 2 * 1024 * 1024, ct, acceptEncoding: "br, gzip");
            if (page.Refusal is not null)
            {
                findings.Add(new(AddressRefusedId, FindingSeverity.Error, page.Refusal, $"GET https://{host}/\n{OutboundDecision.Remedy}"));
            }
            else if (page.Error is not null)
            {
                findings.Add(new("site.fetch-failed", FindingSeverity.Error, $"The home page of {host} could not be fetched.", page.Error));
            }
            else
            {
                var result = ObservatoryGrader.Grade(page.Headers, redirection);
                (grade, score) = (result.Grade, result.Score);
                var severity = result.Score >= 90 ? FindingSeverity.Pass : result.Score >= 50 ? FindingSeverity.Warning : FindingSeverity.Error;
                findings.Add(new("site.headers-grade", severity, $"Security headers grade {result.Grade} ({result.Score} points, MDN HTTP Observatory scoring).",
                    string.Join("\n", result.Tests.Select(t => $"{t.Test}: {t.Result} ({t.Modifier:+0;-0;0})")), "MDN HTTP Observatory"));
                foreach (var penalty in result.Penalties)
                {
                    findings.Add(new("site.header-" + penalty.Result, FindingSeverity.Warning, $"{penalty.Reason} {penalty.Advice}".Trim(), $"{penalty.Modifier} points", "MDN HTTP Observatory"));
                }

                CheckCompression(host, page, findings);
            }
        }

        if (handshake.Connected && missingPath is not null)
        {
            await CheckMissingPathAsync(host, missingPath, findings, ct);
        }

        if (previous?.Score is { } before && score is { } now && now < before)
        {
            findings.Add(new("site.grade-dropped", FindingSeverity.Warning, $"The header grade dropped from {previous.Grade} to {grade}.", $"{before} -> {now} points"));
        }

        return Report(host, started, findings, expires, (grade, score));
    }

    private async Task CheckMissingPathAsync(string host, MissingPathExpectation expected, List<Finding> findings, CancellationToken ct)
    {
        var path = MissingPathCheck.MissingPath(Guid.NewGuid());
        var answer = await http.GetAsync(new Uri($"https://{host}{Port(options.Value.HttpsPort, 443)}{path}"), 2 * 1024 * 1024, ct);
        if (answer.Refusal is not null)
        {
            findings.Add(new(AddressRefusedId, FindingSeverity.Error, answer.Refusal, $"GET https://{host}{path}\n{OutboundDecision.Remedy}"));
        }
        else if (answer.Error is not null || answer.Status is null)
        {
            findings.Add(new(MissingPathCheck.FindingId, FindingSeverity.Warning, $"{host} gave no answer for a missing path, so its 404 setting could not be checked.", answer.Error));
        }
        else
        {
            findings.Add(MissingPathCheck.Judge(host, path, expected, (int)answer.Status.Value, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(answer.Body))));
        }
    }

    private void CheckCertificate(string host, TlsObservation handshake, List<Finding> findings)
    {
        var cert = handshake.Certificate;
        var evidence = cert is null ? null : $"subject {cert.Subject}; issuer {cert.Issuer}; names {string.Join(", ", cert.DnsNames)}; valid {cert.NotBefore:yyyy-MM-dd} to {cert.NotAfter:yyyy-MM-dd}";
        foreach (var problem in handshake.CertificateProblems)
        {
            findings.Add(new("site.certificate-invalid", FindingSeverity.Error, $"{host}: {problem}", evidence));
        }

        if (cert is not null && handshake.CertificateProblems.Count == 0)
        {
            var days = (cert.NotAfter - clock.GetUtcNow()).TotalDays;
            if (days < options.Value.CertificateWarningDays)
            {
                findings.Add(new("site.certificate-expiring", FindingSeverity.Warning, $"The certificate of {host} expires in {Math.Max(0, (int)days)} days ({cert.NotAfter:yyyy-MM-dd}).", evidence));
            }
        }
    }

    private async Task<RedirectionOutcome> CheckHttpAsync(string host, List<Finding> findings, CancellationToken ct)
    {
        var url = new Uri($"http://{host}{Port(options.Value.HttpPort, 80)}/");
        var response = await http.GetAsync(url, 64 * 1024, ct, version: HttpVersion.Version11);
        if (response.Refusal is not null)
        {
            findings.Add(new(AddressRefusedId, FindingSeverity.Error, response.Refusal, $"GET {url}\n{OutboundDecision.Remedy}"));
            return RedirectionOutcome.NotNeededNoHttp;
        }

        if (response.Error is not null)
        {
            findings.Add(new("site.http-closed", FindingSeverity.Info, $"{host} does not answer plain HTTP.", response.Error));
            return RedirectionOutcome.NotNeededNoHttp;
        }

        var status = (int)response.Status!.Value;
        if (status is >= 300 and < 400 && response.Location is not null && Uri.TryCreate(url, response.Location, out var target))
        {
            var outcome = ObservatoryGrader.ClassifyRedirects([url, target]);
            if (outcome != RedirectionOutcome.ToHttps)
            {
                findings.Add(new("site.http-redirect-wrong", FindingSeverity.Warning, $"Plain HTTP redirects to {target} rather than to HTTPS on {host}.", $"HTTP {status} Location: {response.Location}"));
            }

            return outcome;
        }

        findings.Add(new("site.http-no-redirect", FindingSeverity.Warning, $"Plain HTTP answers {status} without redirecting to HTTPS.", $"HTTP {status}"));
        return RedirectionOutcome.Missing;
    }

    private static void CheckCompression(string host, HttpObservation page, List<Finding> findings)
    {
        var type = page.ContentType ?? "";
        var textual = type.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || type.Contains("javascript", StringComparison.OrdinalIgnoreCase)
            || type.Contains("json", StringComparison.OrdinalIgnoreCase) || type.Contains("xml", StringComparison.OrdinalIgnoreCase);
        if (!textual || page.Body.Length < CompressibleBytes || page.Status != HttpStatusCode.OK)
        {
            return;
        }

        if (string.IsNullOrEmpty(page.Header("Content-Encoding")))
        {
            findings.Add(new("site.no-compression", FindingSeverity.Warning, $"The home page of {host} ({page.Body.Length} bytes of {type}) is sent uncompressed to a client that accepts br and gzip.", null));
        }
    }

    private HealthReport Report(string host, DateTimeOffset started, List<Finding> findings, DateTimeOffset? expires, (string? Grade, int? Score)? grade)
    {
        if (findings.All(f => f.Severity <= FindingSeverity.Info))
        {
            findings.Insert(0, new("site.healthy", FindingSeverity.Pass, $"{host} passes every site check."));
        }

        return new HealthReport(host, HealthCheckKind.Site, started, clock.GetUtcNow() - started, findings)
        {
            CertificateExpires = expires,
            Grade = grade?.Grade,
            Score = grade?.Score,
        };
    }

    private static string Port(int port, int standard) => port == standard ? "" : ":" + port;
}
