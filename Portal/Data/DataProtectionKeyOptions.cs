using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portal.Data;

/// <summary>
/// Settings of the <c>DataProtection</c> section: a certificate that encrypts the Data Protection keys stored in the
/// database, so that reading the database alone does not give the keys that sign sessions and protect the built-in
/// provider's signing keys.
/// </summary>
public sealed class DataProtectionKeyOptions : IValidatableObject
{
    public const string SectionName = "DataProtection";

    /// <summary>PKCS#12 file (.pfx/.p12) with an RSA certificate and its private key; new keys are encrypted to it.</summary>
    public string? CertificateFile { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>Certificates the keys were encrypted to before a rotation; kept so that older keys still decrypt.</summary>
    public IReadOnlyList<string> PreviousCertificateFiles { get; set; } = [];

    /// <summary>Password of every previous certificate file (they are usually exported the same way).</summary>
    public string? PreviousCertificatePassword { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(CertificateFile) && PreviousCertificateFiles.Count > 0)
        {
            yield return new ValidationResult(
                "DataProtection:PreviousCertificateFiles needs DataProtection:CertificateFile: name the certificate new keys are encrypted to.",
                [nameof(PreviousCertificateFiles)]);
        }

        if (!string.IsNullOrWhiteSpace(CertificateFile) && Problem(CertificateFile, CertificatePassword) is { } problem)
        {
            yield return new ValidationResult($"DataProtection:CertificateFile {problem}", [nameof(CertificateFile)]);
        }

        for (var i = 0; i < PreviousCertificateFiles.Count; i++)
        {
            if (Problem(PreviousCertificateFiles[i], PreviousCertificatePassword) is { } previous)
            {
                yield return new ValidationResult($"DataProtection:PreviousCertificateFiles:{i} {previous}", [nameof(PreviousCertificateFiles)]);
            }
        }
    }

    /// <summary>The certificate new keys are encrypted to, or null when keys are stored unencrypted.</summary>
    public X509Certificate2? LoadCurrent() => string.IsNullOrWhiteSpace(CertificateFile) ? null : Load(CertificateFile, CertificatePassword);

    /// <summary>Every certificate that may have encrypted a stored key.</summary>
    public IReadOnlyList<X509Certificate2> LoadAll() =>
        [.. new[] { LoadCurrent() }.OfType<X509Certificate2>(), .. PreviousCertificateFiles.Select(f => Load(f, PreviousCertificatePassword))];

    private static X509Certificate2 Load(string file, string? password) => X509CertificateLoader.LoadPkcs12FromFile(file, password);

    private static string? Problem(string file, string? password)
    {
        if (!File.Exists(file))
        {
            return $"names '{file}', which does not exist.";
        }

        try
        {
            using var certificate = Load(file, password);
            using var rsa = certificate.GetRSAPrivateKey();
            return rsa is null ? $"'{file}' has no RSA private key; Data Protection needs one to decrypt its keys." : null;
        }
        catch (CryptographicException ex)
        {
            return $"'{file}' could not be read as a PKCS#12 file with the given password: {ex.Message}";
        }
    }
}
