using System.Security.Cryptography.X509Certificates;

namespace Portal.Core.Health;

/// <summary>A server certificate as the checks report it.</summary>
public sealed record CertificateFacts(string Subject, string Issuer, IReadOnlyList<string> DnsNames, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string Thumbprint);

/// <summary>Whether a presented certificate is valid for a host: trusted chain, in its validity period, naming the host.</summary>
public sealed class CertificateVerifier
{
    private readonly X509Certificate2Collection _extraRoots;

    public CertificateVerifier(HealthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _extraRoots = [];
        if (!string.IsNullOrWhiteSpace(options.ExtraTrustedRootsFile))
        {
            _extraRoots.ImportFromPemFile(options.ExtraTrustedRootsFile);
        }
    }

    public static CertificateFacts Describe(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var names = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                names.AddRange(san.EnumerateDnsNames());
            }
        }

        return new CertificateFacts(certificate.Subject, certificate.Issuer, names, certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime(), certificate.Thumbprint);
    }

    /// <summary>The problems with <paramref name="leaf"/> for <paramref name="host"/> at <paramref name="now"/>; empty when valid.</summary>
    public IReadOnlyList<string> Problems(X509Certificate2 leaf, IEnumerable<X509Certificate2> presentedIntermediates, string host, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        var problems = new List<string>();
        if (now < leaf.NotBefore.ToUniversalTime())
        {
            problems.Add($"The certificate is not valid before {leaf.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm} UTC.");
        }

        if (now > leaf.NotAfter.ToUniversalTime())
        {
            problems.Add($"The certificate expired on {leaf.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC.");
        }

        if (!leaf.MatchesHostname(host, allowWildcards: true, allowCommonName: false))
        {
            var names = Describe(leaf).DnsNames;
            problems.Add($"The certificate does not name {host}; it names {(names.Count == 0 ? "no DNS names" : string.Join(", ", names))}.");
        }

        var chainProblem = ChainProblem(leaf, presentedIntermediates, now);
        if (chainProblem is not null)
        {
            problems.Add(chainProblem);
        }

        return problems;
    }

    private string? ChainProblem(X509Certificate2 leaf, IEnumerable<X509Certificate2> intermediates, DateTimeOffset now)
    {
        // A chain to a configured private root settles it without the system store; otherwise the system store decides.
        if (_extraRoots.Count > 0 && Build(leaf, intermediates, now, custom: true) is null)
        {
            return null;
        }

        return Build(leaf, intermediates, now, custom: false);
    }

    private string? Build(X509Certificate2 leaf, IEnumerable<X509Certificate2> intermediates, DateTimeOffset now, bool custom)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        // Validity dates are reported on their own above; here only trust is judged.
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        chain.ChainPolicy.ExtraStore.AddRange(intermediates.ToArray());
        if (custom)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(_extraRoots);
        }

        if (chain.Build(leaf))
        {
            return null;
        }

        var statuses = chain.ChainStatus.Where(s => s.Status != X509ChainStatusFlags.NotTimeValid).Select(s => s.Status.ToString()).Distinct().ToList();
        return statuses.Count == 0 ? null : $"The certificate, issued by {leaf.Issuer}, does not chain to a trusted root ({string.Join(", ", statuses)}).";
    }
}
