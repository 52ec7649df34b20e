using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portal.Tests.Infrastructure;

/// <summary>The key type of the test CA and of the certificates it issues.</summary>
public enum TestKeyAlgorithm
{
    /// <summary>ECDSA P-256: fast to generate and accepted by every client here, TLS 1.0 included.</summary>
    EcdsaP256,

    /// <summary>RSA 2048, for clients or cipher suites that need RSA.</summary>
    Rsa2048,
}

/// <summary>A leaf certificate issued by <see cref="TestCertificateAuthority"/>, with its PEM files.</summary>
public sealed record IssuedCertificate(
    IReadOnlyList<string> DnsNames,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string CertificatePemPath,
    string PrivateKeyPemPath,
    X509Certificate2 Certificate);

/// <summary>
/// A certificate authority made at test time. Servers in the private network get certificates from it, and
/// clients trust it alone: its PEM file for OpenSSL-based tools (<c>SSL_CERT_FILE</c>), its certificate for
/// .NET validation (<see cref="ValidateServerCertificate"/>).
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1", "Server Authentication");

    private readonly X509Certificate2 caWithKey;
    private readonly TimeProvider time;
    private readonly TestKeyAlgorithm algorithm;
    private readonly string directory;
    private readonly Lock issueLock = new();
    private int issued;

    /// <summary>Makes a new CA and writes its certificate to <c>ca.pem</c> in <paramref name="directory"/>.</summary>
    public TestCertificateAuthority(
        string directory,
        TimeProvider? time = null,
        TestKeyAlgorithm algorithm = TestKeyAlgorithm.EcdsaP256,
        string name = "Portal Test CA")
    {
        this.directory = directory;
        this.time = time ?? TimeProvider.System;
        this.algorithm = algorithm;
        Directory.CreateDirectory(directory);

        var now = this.time.GetUtcNow();
        using var key = NewKey(algorithm);
        var request = NewRequest(new X500DistinguishedName($"CN={name}, O=Portal tests"), key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        // Starts well in the past so expired leaves can still lie inside the CA's own validity.
        caWithKey = request.CreateSelfSigned(now.AddDays(-400), now.AddYears(5));
        Certificate = X509CertificateLoader.LoadCertificate(caWithKey.RawData);
        PemPath = Path.Combine(directory, "ca.pem");
        File.WriteAllText(PemPath, Certificate.ExportCertificatePem() + "\n");
    }

    /// <summary>The CA certificate (public part only): the one trust anchor of the tests.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>PEM file of the CA certificate, for <c>SSL_CERT_FILE</c>, <c>curl --cacert</c> and the like.</summary>
    public string PemPath { get; }

    /// <summary>Issues a certificate valid now (from one day ago for 90 days) for the given DNS names.</summary>
    public IssuedCertificate Issue(params string[] dnsNames)
    {
        var now = time.GetUtcNow();
        return Issue(dnsNames, now.AddDays(-1), now.AddDays(90));
    }

    /// <summary>Issues a certificate for the given names that expired a day ago.</summary>
    public IssuedCertificate IssueExpired(params string[] dnsNames)
    {
        var now = time.GetUtcNow();
        return Issue(dnsNames, now.AddDays(-91), now.AddDays(-1));
    }

    /// <summary>
    /// Issues a currently valid certificate for <c>wrong-name.invalid</c> only: served by any fixture host it
    /// fails name validation while its chain and dates are fine.
    /// </summary>
    public IssuedCertificate IssueForWrongName() => Issue("wrong-name.invalid");

    /// <summary>Issues a certificate for the given names and validity period.</summary>
    public IssuedCertificate Issue(IReadOnlyList<string> dnsNames, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentNullException.ThrowIfNull(dnsNames);
        if (dnsNames.Count == 0)
        {
            throw new ArgumentException("A certificate needs at least one DNS name.", nameof(dnsNames));
        }

        if (notAfter <= notBefore)
        {
            throw new ArgumentException($"notAfter ({notAfter:O}) must be later than notBefore ({notBefore:O}).", nameof(notAfter));
        }

        if (notBefore < caWithKey.NotBefore.ToUniversalTime() || notAfter > caWithKey.NotAfter.ToUniversalTime())
        {
            throw new ArgumentException(
                $"The validity {notBefore:O}..{notAfter:O} must lie within the CA's " +
                $"{caWithKey.NotBefore.ToUniversalTime():O}..{caWithKey.NotAfter.ToUniversalTime():O}.", nameof(notBefore));
        }

        var sans = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Any(char.IsWhiteSpace))
            {
                throw new ArgumentException($"DNS name '{name}' is empty or contains whitespace.", nameof(dnsNames));
            }

            sans.AddDnsName(name);
        }

        using var key = NewKey(algorithm);
        var request = NewRequest(new X500DistinguishedName($"CN={dnsNames[0]}"), key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        var usage = algorithm == TestKeyAlgorithm.Rsa2048
            ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment
            : X509KeyUsageFlags.DigitalSignature;
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuthentication], false));
        request.CertificateExtensions.Add(sans.Build(critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(caWithKey, true, false));

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var publicOnly = request.Create(caWithKey, notBefore, notAfter, serial);

        int number;
        lock (issueLock)
        {
            number = ++issued;
        }

        var stem = Path.Combine(directory, $"leaf-{number}-{Sanitize(dnsNames[0])}");
        var certificatePath = stem + ".crt.pem";
        var keyPath = stem + ".key.pem";
        File.WriteAllText(certificatePath, publicOnly.ExportCertificatePem() + "\n");
        File.WriteAllText(keyPath, ExportPrivateKeyPem(key) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return new IssuedCertificate(
            [.. dnsNames],
            notBefore,
            notAfter,
            certificatePath,
            keyPath,
            X509CertificateLoader.LoadCertificate(publicOnly.RawData));
    }

    /// <summary>
    /// Builds the chain of <paramref name="certificate"/> with this CA as the only trust anchor (no system roots,
    /// no revocation) and returns the combined chain status: <see cref="X509ChainStatusFlags.NoError"/> when valid.
    /// </summary>
    public X509ChainStatusFlags CheckChain(X509Certificate2 certificate, DateTimeOffset? at = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = (at ?? time.GetUtcNow()).UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        if (chain.Build(certificate))
        {
            return X509ChainStatusFlags.NoError;
        }

        var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, status) => all | status.Status);

        // Build can fail without a status only in odd platform cases; never report such a chain as valid.
        return flags == X509ChainStatusFlags.NoError ? X509ChainStatusFlags.PartialChain : flags;
    }

    /// <summary>
    /// A <see cref="RemoteCertificateValidationCallback"/> accepting exactly the certificates this CA issued that
    /// are valid now and match the requested host name (the name check is the one .NET already made).
    /// </summary>
    public bool ValidateServerCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
        {
            return false;
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return CheckChain(leaf) == X509ChainStatusFlags.NoError;
    }

    public void Dispose()
    {
        caWithKey.Dispose();
        Certificate.Dispose();
    }

    private static AsymmetricAlgorithm NewKey(TestKeyAlgorithm algorithm) => algorithm switch
    {
        TestKeyAlgorithm.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        TestKeyAlgorithm.Rsa2048 => RSA.Create(2048),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown key algorithm."),
    };

    private static CertificateRequest NewRequest(X500DistinguishedName subject, AsymmetricAlgorithm key) => key switch
    {
        ECDsa ecdsa => new CertificateRequest(subject, ecdsa, HashAlgorithmName.SHA256),
        RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        _ => throw new ArgumentException("Unsupported key type.", nameof(key)),
    };

    private static string ExportPrivateKeyPem(AsymmetricAlgorithm key) => key.ExportPkcs8PrivateKeyPem();

    private static string Sanitize(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_').Take(60).ToArray());
}
