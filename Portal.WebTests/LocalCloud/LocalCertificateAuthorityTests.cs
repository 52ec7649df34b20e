using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using Portal.LocalCloud.Edge;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.LocalCloud;

/// <summary>
/// The local certificate authority is made once in its data folder (PEM files, the key readable by its owner only)
/// and the same one is used after a restart; it issues each name a server certificate for the name and its
/// .localhost form that chains to it, and only to it.
/// </summary>
public sealed class LocalCertificateAuthorityTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void It_is_made_once_and_reused()
    {
        using var folder = new TemporaryFolder("edge-ca-");

        string first;
        using (var authority = LocalCertificateAuthority.OpenOrCreate(folder.Path, _clock))
        {
            first = authority.Certificate.Thumbprint;
        }

        using var reopened = LocalCertificateAuthority.OpenOrCreate(folder.Path, _clock);

        Assert.Equal(first, reopened.Certificate.Thumbprint);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", File.ReadAllText(Path.Combine(folder.Path, LocalCertificateAuthority.CertificateFileName)), StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(Path.Combine(folder.Path, LocalCertificateAuthority.KeyFileName)), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder.Path, LocalCertificateAuthority.KeyFileName)));
        }
    }

    [Fact]
    public void A_server_certificate_names_the_alias_and_its_localhost_form_and_chains_to_the_authority()
    {
        using var folder = new TemporaryFolder("edge-ca-");
        using var authority = LocalCertificateAuthority.OpenOrCreate(folder.Path, _clock);

        var certificate = authority.ServerCertificate("Test.Docs.Example.com");

        Assert.True(certificate.HasPrivateKey);
        Assert.Same(certificate, authority.ServerCertificate("test.docs.example.com"));
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames().ToList();
        Assert.Equal(["test.docs.example.com", "test.docs.example.com.localhost"], names);
        Assert.True(authority.Issued(X509CertificateLoader.LoadCertificate(certificate.RawData)));
    }

    [Fact]
    public void Another_authoritys_certificate_does_not_chain()
    {
        using var one = new TemporaryFolder("edge-ca-");
        using var two = new TemporaryFolder("edge-ca-");
        using var first = LocalCertificateAuthority.OpenOrCreate(one.Path, _clock);
        using var second = LocalCertificateAuthority.OpenOrCreate(two.Path, _clock);

        Assert.False(first.Issued(X509CertificateLoader.LoadCertificate(second.ServerCertificate("test.docs.example.com").RawData)));
    }
}
