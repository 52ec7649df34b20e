using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Portal.Tests.Infrastructure;

/// <summary>Expired and wrong-name fixture certificates fail validation, in .NET and in curl, while a valid one on the same server passes.</summary>
public sealed class FixtureCertificateFailureTests(PrivateNetworkFixture fixture) : IClassFixture<PrivateNetworkFixture>, IAsyncLifetime
{
    private PrivateNetwork Network => fixture.Network;

    public async Task InitializeAsync()
    {
        var ca = Network.CertificateAuthority;
        var address = await Network.AllocateAddressAsync();
        await Network.StartDnsAsync(new DnsZone()
            .A("good.certs.test", address)
            .A("expired.certs.test", address)
            .A("wrong.certs.test", address));
        await Network.StartWebAsync(
            new WebSite("good.certs.test", address).File("/", "good"),
            new WebSite("expired.certs.test", address).WithCertificate(ca.IssueExpired("expired.certs.test")).File("/", "expired"),
            new WebSite("wrong.certs.test", address).WithCertificate(ca.IssueForWrongName()).File("/", "wrong"));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Valid_certificate_passes_in_dotnet_and_curl()
    {
        using var client = new HttpClient(Network.CreateHttpHandler());

        var body = await client.GetStringAsync(new Uri("https://good.certs.test/"));
        var probe = await Network.HandshakeAsync("good.certs.test");
        var curl = await Network.RunAsync("curl", ["-sS", "https://good.certs.test/"]);

        Assert.Equal("good", body);
        Assert.Equal(X509ChainStatusFlags.NoError, probe.ChainStatus);
        Assert.Equal(SslPolicyErrors.None, probe.Errors & SslPolicyErrors.RemoteCertificateNameMismatch);
        Assert.Equal((0, "good"), (curl.ExitCode, curl.StandardOutput));
    }

    [Fact]
    public async Task Expired_certificate_fails_as_not_time_valid()
    {
        using var client = new HttpClient(Network.CreateHttpHandler());

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync(new Uri("https://expired.certs.test/")));
        var probe = await Network.HandshakeAsync("expired.certs.test");
        var curl = await Network.RunAsync("curl", ["-sS", "https://expired.certs.test/"]);

        Assert.IsType<AuthenticationException>(error.InnerException);
        Assert.True(probe.Certificate!.NotAfter.ToUniversalTime() < DateTime.UtcNow, $"NotAfter {probe.Certificate.NotAfter:O}");
        Assert.Equal(X509ChainStatusFlags.NotTimeValid, probe.ChainStatus);
        Assert.Equal(60, curl.ExitCode);
        Assert.Contains("expired", curl.StandardError, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Wrong_name_certificate_fails_as_name_mismatch_with_a_valid_chain()
    {
        using var client = new HttpClient(Network.CreateHttpHandler());

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync(new Uri("https://wrong.certs.test/")));
        var probe = await Network.HandshakeAsync("wrong.certs.test");
        var curl = await Network.RunAsync("curl", ["-sS", "https://wrong.certs.test/"]);

        Assert.IsType<AuthenticationException>(error.InnerException);
        Assert.True(probe.Errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch), probe.Errors.ToString());
        Assert.Equal(X509ChainStatusFlags.NoError, probe.ChainStatus);
        Assert.Equal(60, curl.ExitCode);
        Assert.Contains("wrong.certs.test", curl.StandardError, StringComparison.Ordinal);
    }
}
