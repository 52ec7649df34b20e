using System.Net;
using Microsoft.Extensions.Options;
using Portal.Core.Health;
using Portal.Core.Networking;
using Portal.Infrastructure.Dns;
using Portal.Infrastructure.Health;

namespace Portal.Tests.Health;

/// <summary>
/// The HTTP fetcher and the TLS probe judge the address each connection really goes to, at the moment of connecting:
/// a refused address is never connected to, whatever the name answered when a checker looked it up before (DNS
/// rebinding), and an address an allow-list names is connected to as usual. Listeners on loopback record whether
/// anyone connected; the resolver is a scripted one on loopback.
/// </summary>
public sealed class ConnectTimeAddressCheckTests : IAsyncLifetime
{
    private static readonly IPAddress Loopback = IPAddress.Loopback;
    private static readonly IPAddress OtherLoopback = IPAddress.Parse("127.0.0.2");

    private readonly ConnectionRecorder loopback = new(Loopback);
    private ConnectionRecorder other = null!;
    private ScriptedDnsServer dns = null!;

    public Task InitializeAsync()
    {
        // The same port on another loopback address, so one URL reaches either listener depending on the answer.
        other = new ConnectionRecorder(OtherLoopback, loopback.Port);
        dns = new ScriptedDnsServer((name, before) => name switch
        {
            "loopback.example.test" => [Loopback],
            "allowed.example.test" => [OtherLoopback],
            "mixed.example.test" => [Loopback, OtherLoopback],
            "rebind.example.test" => before == 0 ? [OtherLoopback] : [Loopback],
            _ => [],
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await dns.DisposeAsync();
        await loopback.DisposeAsync();
        await other.DisposeAsync();
    }

    [Fact]
    public async Task A_fetch_from_a_name_on_loopback_is_refused_without_connecting()
    {
        using var fetcher = Fetcher(OutboundAddressPolicy.PublicOnly, out _);

        var observation = await fetcher.GetAsync(Url("loopback.example.test"), 1024, CancellationToken.None);

        Assert.Equal("refused: loopback.example.test resolves to a loopback address 127.0.0.1; not checked", observation.Refusal);
        Assert.Null(observation.Status);
        Assert.Equal(0, loopback.Connections);
    }

    [Fact]
    public async Task A_name_that_answered_an_allowed_address_first_and_loopback_at_connect_time_is_refused()
    {
        using var fetcher = Fetcher(OutboundAddressPolicy.FromSettings(["127.0.0.2/32"]), out var queries);

        // What a checker saw when it looked the name up: an address it may connect to.
        var seen = await queries.AAsync("rebind.example.test", CancellationToken.None);
        var observation = await fetcher.GetAsync(Url("rebind.example.test"), 1024, CancellationToken.None);

        Assert.Equal([OtherLoopback], seen.Records);
        Assert.Equal("refused: rebind.example.test resolves to a loopback address 127.0.0.1; not checked", observation.Refusal);
        Assert.Equal((0, 0), (loopback.Connections, other.Connections));
    }

    [Fact]
    public async Task Only_the_allowed_addresses_of_a_name_are_connected_to()
    {
        using var fetcher = Fetcher(OutboundAddressPolicy.FromSettings(["127.0.0.2/32"]), out _);

        var allowed = await fetcher.GetAsync(Url("allowed.example.test"), 1024, CancellationToken.None);
        var mixed = await fetcher.GetAsync(Url("mixed.example.test"), 1024, CancellationToken.None);

        // The listener closes at once, so the request fails; what matters is where it went.
        Assert.Null(allowed.Refusal);
        Assert.Null(mixed.Refusal);
        Assert.NotNull(allowed.Error);
        Assert.Equal(0, loopback.Connections);
        Assert.True(other.Connections >= 2, $"{other.Connections} connections to the allowed address");
    }

    [Fact]
    public async Task The_TLS_probes_connect_to_no_refused_address()
    {
        var probe = Probe(OutboundAddressPolicy.PublicOnly);

        await using var session = await probe.OpenAsync(Loopback, loopback.Port, "loopback.example.test", TimeSpan.FromSeconds(5), CancellationToken.None);
        var legacy = await probe.OffersLegacyTlsAsync(Loopback, loopback.Port, "loopback.example.test", TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal("refused: loopback.example.test resolves to a loopback address 127.0.0.1; not checked", session.Observation.Refusal);
        Assert.Equal(session.Observation.Refusal, session.Observation.Error);
        Assert.Null(session.Stream);
        Assert.False(legacy);
        Assert.Equal(0, loopback.Connections);
    }

    [Fact]
    public async Task The_TLS_probes_connect_to_an_allowed_address()
    {
        var probe = Probe(OutboundAddressPolicy.FromSettings(["127.0.0.0/8"]));

        var handshake = await probe.HandshakeAsync(Loopback, loopback.Port, "loopback.example.test", TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Null(handshake.Refusal);
        Assert.False(handshake.Connected);
        Assert.Equal(1, loopback.Connections);
    }

    private Uri Url(string host) => new($"http://{host}:{loopback.Port}/");

    private HttpFetcher Fetcher(OutboundAddressPolicy policy, out DnsQueries queries)
    {
        var client = MxLookup.CreateClient(new DnsOptions { Servers = [dns.EndPoint.ToString()], Timeout = TimeSpan.FromSeconds(2) });
        queries = new DnsQueries(client);
        return new HttpFetcher(queries, new OutboundConnector(policy), Options.Create(new HealthOptions { Timeout = TimeSpan.FromSeconds(5) }));
    }

    private static TlsProbe Probe(OutboundAddressPolicy policy) =>
        new(new CertificateVerifier(new HealthOptions()), TimeProvider.System, new OutboundConnector(policy));
}
