using System.Runtime.Versioning;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;

namespace Portal.Tests.Infrastructure;

/// <summary>The test CA issues certificates that chain to it alone, with the names and dates asked for, as PEM files servers can load.</summary>
public sealed class TestCertificateAuthorityTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("test-ca-");
    private readonly TestCertificateAuthority ca;

    public TestCertificateAuthorityTests() => ca = new TestCertificateAuthority(folder.FullName, new FakeTimeProvider(Now));

    public void Dispose()
    {
        ca.Dispose();
        folder.Delete(recursive: true);
    }

    [Fact]
    public void Issued_certificate_chains_to_the_ca_and_names_every_host()
    {
        var issued = ca.Issue("a.example.test", "b.example.test");

        Assert.Equal(X509ChainStatusFlags.NoError, ca.CheckChain(issued.Certificate));
        Assert.Equal(ca.Certificate.Subject, issued.Certificate.Issuer);
        Assert.True(issued.Certificate.MatchesHostname("a.example.test"));
        Assert.True(issued.Certificate.MatchesHostname("b.example.test"));
        Assert.False(issued.Certificate.MatchesHostname("c.example.test"));
        Assert.Equal((Now.AddDays(-1), Now.AddDays(90)), (issued.NotBefore, issued.NotAfter));
    }

    [Fact]
    public void Expired_certificate_is_not_time_valid()
    {
        var expired = ca.IssueExpired("old.example.test");

        Assert.True(expired.NotAfter < Now);
        Assert.Equal(X509ChainStatusFlags.NotTimeValid, ca.CheckChain(expired.Certificate));
    }

    [Fact]
    public void Wrong_name_certificate_has_a_valid_chain_but_none_of_the_fixture_names()
    {
        var wrong = ca.IssueForWrongName();

        Assert.Equal(X509ChainStatusFlags.NoError, ca.CheckChain(wrong.Certificate));
        Assert.False(wrong.Certificate.MatchesHostname("mta-sts.example.test"));
    }

    [Fact]
    public void Certificate_of_another_ca_is_not_trusted()
    {
        using var other = new TestCertificateAuthority(Path.Combine(folder.FullName, "other"), new FakeTimeProvider(Now));

        var foreign = other.Issue("a.example.test");

        Assert.NotEqual(X509ChainStatusFlags.NoError, ca.CheckChain(foreign.Certificate));
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public void Pem_files_hold_the_ca_and_a_matching_certificate_and_key()
    {
        var issued = ca.Issue("pem.example.test");

        using var fromPem = X509Certificate2.CreateFromPemFile(issued.CertificatePemPath, issued.PrivateKeyPemPath);
        using var caFromPem = X509Certificate2.CreateFromPem(File.ReadAllText(ca.PemPath));

        Assert.True(fromPem.HasPrivateKey);
        Assert.Equal(issued.Certificate.Thumbprint, fromPem.Thumbprint);
        Assert.Equal(ca.Certificate.Thumbprint, caFromPem.Thumbprint);
        Assert.False(ca.Certificate.HasPrivateKey);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(issued.PrivateKeyPemPath));
    }

    [Fact]
    public void Rsa_ca_issues_rsa_certificates()
    {
        using var rsa = new TestCertificateAuthority(Path.Combine(folder.FullName, "rsa"), new FakeTimeProvider(Now), TestKeyAlgorithm.Rsa2048);

        var issued = rsa.Issue("rsa.example.test");

        Assert.NotNull(issued.Certificate.GetRSAPublicKey());
        Assert.Equal(X509ChainStatusFlags.NoError, rsa.CheckChain(issued.Certificate));
    }

    [Fact]
    public void Bad_requests_are_refused_with_the_reason()
    {
        Assert.Contains("at least one DNS name", Assert.Throws<ArgumentException>(() => ca.Issue()).Message, StringComparison.Ordinal);
        Assert.Contains("later than notBefore", Assert.Throws<ArgumentException>(() => ca.Issue(["x.test"], Now, Now)).Message, StringComparison.Ordinal);
        Assert.Contains("within the CA", Assert.Throws<ArgumentException>(() => ca.Issue(["x.test"], Now, Now.AddYears(20))).Message, StringComparison.Ordinal);
        Assert.Contains("whitespace", Assert.Throws<ArgumentException>(() => ca.Issue("bad name.test")).Message, StringComparison.Ordinal);
    }
}
