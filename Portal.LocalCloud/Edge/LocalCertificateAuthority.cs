using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portal.LocalCloud.Edge;

/// <summary>
/// The local cloud's own certificate authority: made once in a data folder (<c>edge-ca.pem</c>, and
/// <c>edge-ca-key.pem</c> readable by its owner only) and reused on every start, so a person trusts it once. It
/// issues each served name a certificate (the alias and its <c>.localhost</c> form), kept in memory.
/// </summary>
public sealed class LocalCertificateAuthority : IDisposable
{
    public const string CertificateFileName = "edge-ca.pem";
    public const string KeyFileName = "edge-ca-key.pem";

    private readonly X509Certificate2 _authority;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, X509Certificate2> _issued = new(StringComparer.Ordinal);

    private LocalCertificateAuthority(X509Certificate2 authority, string certificatePath, TimeProvider clock)
    {
        _authority = authority;
        _clock = clock;
        CertificatePath = certificatePath;
    }

    /// <summary>The authority's certificate, without its key.</summary>
    public X509Certificate2 Certificate => X509CertificateLoader.LoadCertificate(_authority.RawData);

    /// <summary>Where the authority's certificate is, to import it into a browser or a trust store.</summary>
    public string CertificatePath { get; }

    public static LocalCertificateAuthority OpenOrCreate(string directory, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(clock);
        Directory.CreateDirectory(directory);
        var certificatePath = Path.Combine(directory, CertificateFileName);
        var keyPath = Path.Combine(directory, KeyFileName);
        if (File.Exists(certificatePath) && File.Exists(keyPath))
        {
            return new LocalCertificateAuthority(X509Certificate2.CreateFromPemFile(certificatePath, keyPath), certificatePath, clock);
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Portal Local Cloud CA, O=Portal sandbox", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = clock.GetUtcNow();
        using var authority = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));

        // The key is written first with its mode already 0600, so it is never readable by others, even briefly.
        var keyOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            keyOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var keyFile = new StreamWriter(new FileStream(keyPath, keyOptions)))
        {
            keyFile.Write(key.ExportPkcs8PrivateKeyPem());
        }

        File.WriteAllText(certificatePath, authority.ExportCertificatePem());
        return new LocalCertificateAuthority(X509Certificate2.CreateFromPemFile(certificatePath, keyPath), certificatePath, clock);
    }

    /// <summary>A server certificate for <paramref name="name"/> and <c>name.localhost</c>, issued once per name.</summary>
    public X509Certificate2 ServerCertificate(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _issued.GetOrAdd(name.ToLowerInvariant().TrimEnd('.'), Issue);
    }

    /// <summary>Whether <paramref name="certificate"/> chains to this authority (and only to it).</summary>
    public bool Issued(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = _clock.GetUtcNow().UtcDateTime;
        return chain.Build(certificate);
    }

    public void Dispose()
    {
        foreach (var certificate in _issued.Values)
        {
            certificate.Dispose();
        }

        _authority.Dispose();
    }

    private X509Certificate2 Issue(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        names.AddDnsName(name + EdgeHosts.LocalSuffix);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_authority, true, false));
        var now = _clock.GetUtcNow();

        // 397 days: the longest validity browsers accept for a server certificate.
        using var issued = request.Create(_authority, now.AddDays(-1), now.AddDays(396), RandomNumberGenerator.GetBytes(16));
        return issued.CopyWithPrivateKey(key);
    }
}
