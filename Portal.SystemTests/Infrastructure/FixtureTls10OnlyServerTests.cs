using System.Security.Authentication;

namespace Portal.Tests.Infrastructure;

/// <summary>A TLS 1.0-only fixture server really speaks TLS 1.0 and refuses clients that insist on 1.2 or later.</summary>
public sealed class FixtureTls10OnlyServerTests(PrivateNetworkFixture fixture) : IClassFixture<PrivateNetworkFixture>, IAsyncLifetime
{
    private PrivateNetwork Network => fixture.Network;

    public async Task InitializeAsync()
    {
        var legacy = await Network.AllocateAddressAsync();
        var modern = await Network.AllocateAddressAsync();
        await Network.StartDnsAsync(new DnsZone().A("legacy.tls.test", legacy).A("modern.tls.test", modern));
        await Network.StartWebAsync(
            new WebSite("legacy.tls.test", legacy).WithProtocols(TlsVersions.Tls10).File("/", "legacy"),
            new WebSite("modern.tls.test", modern).File("/", "modern"));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Tls10_client_connects_with_tls10()
    {
        var result = await Network.RunAsync(
            "openssl",
            ["s_client", "-connect", "legacy.tls.test:443", "-servername", "legacy.tls.test", "-tls1", "-cipher", "DEFAULT@SECLEVEL=0", "-verify_return_error"],
            standardInput: "");

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Matches(@"Protocol\s*: TLSv1\r?\n", result.StandardOutput);
        Assert.Contains("Verify return code: 0 (ok)", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls12_or_later_client_is_refused()
    {
        var probe = await Network.HandshakeAsync("legacy.tls.test", protocols: SslProtocols.Tls12 | SslProtocols.Tls13);
        var curl = await Network.RunAsync("curl", ["-sS", "--tlsv1.2", "https://legacy.tls.test/"]);

        Assert.False(probe.Succeeded);
        Assert.NotNull(probe.Failure);
        Assert.Equal(35, curl.ExitCode);
    }

    [Fact]
    public async Task Same_clients_reach_a_modern_server_in_the_same_network()
    {
        var probe = await Network.HandshakeAsync("modern.tls.test", protocols: SslProtocols.Tls12 | SslProtocols.Tls13);
        var tls10 = await Network.RunAsync(
            "openssl",
            ["s_client", "-connect", "modern.tls.test:443", "-servername", "modern.tls.test", "-tls1", "-cipher", "DEFAULT@SECLEVEL=0"],
            standardInput: "");

        Assert.True(probe.Succeeded, probe.Failure);
        Assert.Equal(SslProtocols.Tls13, probe.Protocol);
        Assert.NotEqual(0, tls10.ExitCode);
    }
}
