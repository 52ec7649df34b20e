using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Health;
using Portal.Infrastructure.Health;
using Portal.Tests.Health;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project Portal.Benchmarks -- bench health [--domains 1000] [--concurrency 16] [--query-domains N]</c>:
/// publishes N mail domains (record, TLS-RPT, MX, policy host with its own certificate; hosts share addresses by SNI)
/// in a private network, then measures over the same domains and the same dnsmasq and nginx:
/// the portal's MTA-STS check (domains/s, peak memory); postfix-mta-sts-resolver, both as the <c>mta-sts-query</c>
/// command (one process per domain, as the tool is made) and as its resolver library in one asyncio process (what
/// its daemon runs); and the raw TLS handshake rate of a bare client as the ceiling.
/// </summary>
public static class HealthBenchmark
{
    private const int SitesPerAddress = 100;

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var count = BenchmarkCommand.Option(args, "--domains", 1000);
        var concurrency = BenchmarkCommand.Option(args, "--concurrency", new HealthOptions().MaxConcurrency);
        var queryCount = Math.Min(count, BenchmarkCommand.Option(args, "--query-domains", count));
        var domains = Enumerable.Range(0, count).Select(i => $"bench{i}.test").ToList();

        var setup = Stopwatch.StartNew();
        await using var network = await PrivateNetwork.CreateAsync();
        var addresses = await network.AllocateAddressesAsync((count + SitesPerAddress - 1) / SitesPerAddress);
        var zone = new DnsZone();
        var sites = new List<WebSite>();
        for (var i = 0; i < count; i++)
        {
            var domain = domains[i];
            var address = addresses[i / SitesPerAddress];
            zone.Txt("_mta-sts." + domain, $"v=STSv1; id=bench{i};")
                .Txt("_smtp._tls." + domain, $"v=TLSRPTv1; rua=mailto:tlsrpt@{domain}")
                .Mx(domain, "mx1." + domain, 10)
                .A("mta-sts." + domain, address);
            sites.Add(new WebSite("mta-sts." + domain, address).File(HealthFixtureNetwork.PolicyPath, HealthFixtureNetwork.EnforcePolicy(domain)));
        }

        await network.StartDnsAsync(zone);
        await network.StartWebAsync(sites, CancellationToken.None);
        Console.WriteLine(Invariant($"setup: {count} mail domains, {sites.Count} policy hosts with their own certificates on {addresses.Count} addresses, {setup.Elapsed.TotalSeconds:F1} s"));
        Console.WriteLine(Invariant($"machine: {Environment.ProcessorCount} cores (shared by the client, nginx with one worker, and dnsmasq)"));

        var ceiling = await HandshakeCeilingAsync(domains, addresses, concurrency);
        var portal = await PortalAsync(network, domains, concurrency);
        var library = await ResolverLibraryAsync(network, domains, concurrency);
        var command = await QueryCommandAsync(network, domains.Take(queryCount).ToList());

        Console.WriteLine();
        Console.WriteLine(Invariant($"portal:            {portal:F0} domains/s"));
        Console.WriteLine(Invariant($"ceiling:           {ceiling:F0} TLS handshakes/s  -> portal at {portal / ceiling:F2}x the ceiling"));
        Console.WriteLine(Invariant($"mta-sts-query:     {command:F1} domains/s  -> portal at {portal / command:F0}x"));
        Console.WriteLine(Invariant($"resolver library:  {library:F0} domains/s  -> portal at {portal / library:F1}x"));
        return 0;
    }

    /// <summary>The portal's check as a scan runs it: the configured engine, <paramref name="concurrency"/> domains at a time.</summary>
    private static async Task<double> PortalAsync(PrivateNetwork network, List<string> domains, int concurrency)
    {
        await using var engine = HealthFixtureNetwork.BuildEngine(network);
        var checker = engine.GetRequiredService<HealthChecker>();

        // Warm up the JIT and the connection paths on a few domains, then measure every domain once.
        foreach (var domain in domains.Take(10))
        {
            await checker.CheckMailAsync(domain);
        }

        GC.Collect();
        var baseline = Environment.WorkingSet;
        using var memory = new MemorySampler();
        var verdicts = new int[3];
        var clean = 0;
        var watch = Stopwatch.StartNew();
        await ForEachAsync(domains, concurrency, async domain =>
        {
            var report = await checker.CheckMailAsync(domain);
            Interlocked.Increment(ref verdicts[(int)report.Verdict!.Value]);
            if (report.Worst == FindingSeverity.Pass)
            {
                Interlocked.Increment(ref clean);
            }
        });
        watch.Stop();
        var (peakWorkingSet, peakHeap) = memory.Stop();
        var rate = domains.Count / watch.Elapsed.TotalSeconds;
        Console.WriteLine(Invariant($"portal check:      {domains.Count} domains in {watch.Elapsed.TotalSeconds:F2} s = {rate:F0} domains/s at concurrency {concurrency}; ")
            + Invariant($"valid {verdicts[(int)MtaStsVerdict.ValidPolicy]}, no policy {verdicts[(int)MtaStsVerdict.NoPolicy]}, error {verdicts[(int)MtaStsVerdict.PolicyError]}, clean {clean}"));
        Console.WriteLine(Invariant($"                   peak working set {peakWorkingSet / 1048576.0:F0} MiB (before the run {baseline / 1048576.0:F0} MiB), peak managed heap {peakHeap / 1048576.0:F0} MiB"));
        return rate;
    }

    /// <summary>Bare TLS handshakes (SNI of each policy host, no certificate checks, no HTTP) against the same nginx: the ceiling.</summary>
    private static async Task<double> HandshakeCeilingAsync(List<string> domains, IReadOnlyList<IPAddress> addresses, int concurrency)
    {
        async Task HandshakeAsync(int i)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(addresses[i / SitesPerAddress], 443);
            await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false));
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "mta-sts." + domains[i],
#pragma warning disable CA5359 // The ceiling measures the handshake alone; the portal's checks verify certificates.
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
#pragma warning restore CA5359
                EnabledSslProtocols = SslProtocols.None,
            });
        }

        for (var i = 0; i < 10; i++)
        {
            await HandshakeAsync(i);
        }

        var indexes = Enumerable.Range(0, domains.Count).ToList();
        var watch = Stopwatch.StartNew();
        await ForEachAsync(indexes, concurrency, HandshakeAsync);
        watch.Stop();
        var rate = domains.Count / watch.Elapsed.TotalSeconds;
        Console.WriteLine(Invariant($"ceiling:           {domains.Count} bare TLS handshakes in {watch.Elapsed.TotalSeconds:F2} s = {rate:F0}/s at concurrency {concurrency}"));
        return rate;
    }

    /// <summary>postfix-mta-sts-resolver's resolver in one asyncio process (as its daemon runs it), same concurrency.</summary>
    private static async Task<double> ResolverLibraryAsync(PrivateNetwork network, List<string> domains, int concurrency)
    {
        var script = Path.Combine(network.Directory, "resolve_all.py");
        var list = Path.Combine(network.Directory, "domains.txt");
        await File.WriteAllLinesAsync(list, domains);
        await File.WriteAllTextAsync(script, """
            import asyncio, resource, sys, time
            from postfix_mta_sts_resolver.resolver import STSResolver

            async def main(path, concurrency):
                domains = [line.strip() for line in open(path) if line.strip()]
                resolver = STSResolver(loop=asyncio.get_running_loop(), timeout=4)
                gate = asyncio.Semaphore(concurrency)
                counts = {}
                async def one(domain):
                    async with gate:
                        status, _ = await resolver.resolve(domain)
                        counts[status.name] = counts.get(status.name, 0) + 1
                start = time.monotonic()
                await asyncio.gather(*(one(d) for d in domains))
                elapsed = time.monotonic() - start
                print(len(domains), elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, ",".join(f"{k}={v}" for k, v in sorted(counts.items())))

            asyncio.run(main(sys.argv[1], int(sys.argv[2])))
            """);
        var run = await network.RunAsync("/usr/bin/python3", ["-W", "ignore", script, list, concurrency.ToString(CultureInfo.InvariantCulture)], timeout: TimeSpan.FromMinutes(20));
        run.EnsureSuccess();
        var fields = run.StandardOutput.Trim().Split(' ');
        var seconds = double.Parse(fields[1], CultureInfo.InvariantCulture);
        var rate = domains.Count / seconds;
        Console.WriteLine(Invariant($"resolver library:  {domains.Count} domains in {seconds:F2} s = {rate:F0} domains/s at concurrency {concurrency}; {fields[3]}; peak RSS {long.Parse(fields[2], CultureInfo.InvariantCulture) / 1024.0:F0} MiB"));
        return rate;
    }

    /// <summary><c>mta-sts-query DOMAIN</c>, one process per domain, as many at once as there are cores.</summary>
    private static async Task<double> QueryCommandAsync(PrivateNetwork network, List<string> domains)
    {
        var peakKiB = 0L;
        var valid = 0;
        var watch = Stopwatch.StartNew();
        await ForEachAsync(domains, Environment.ProcessorCount, async domain =>
        {
            var run = await network.RunAsync("/usr/bin/time", ["-f", "maxrss=%M", "mta-sts-query", domain], timeout: TimeSpan.FromSeconds(60));
            var rss = long.Parse(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.StartsWith("maxrss=", StringComparison.Ordinal))[7..], CultureInfo.InvariantCulture);
            lock (domains)
            {
                peakKiB = Math.Max(peakKiB, rss);
            }

            if (MtaStsQueryResult.Parse(run.EnsureSuccess().StandardOutput).Status == MtaStsQueryStatus.Valid)
            {
                Interlocked.Increment(ref valid);
            }
        });
        watch.Stop();
        var rate = domains.Count / watch.Elapsed.TotalSeconds;
        Console.WriteLine(Invariant($"mta-sts-query:     {domains.Count} domains in {watch.Elapsed.TotalSeconds:F2} s = {rate:F1} domains/s, {Environment.ProcessorCount} processes at once; valid {valid}; peak RSS per process {peakKiB / 1024.0:F0} MiB"));
        return rate;
    }

    private static async Task ForEachAsync<T>(IEnumerable<T> items, int concurrency, Func<T, Task> action)
    {
        using var gate = new SemaphoreSlim(concurrency);
        await Task.WhenAll(items.Select(async item =>
        {
            await gate.WaitAsync();
            try
            {
                await action(item);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Samples the process's working set and managed heap every 20 ms while a phase runs.</summary>
    private sealed class MemorySampler : IDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Task<(long, long)> sampling;

        public MemorySampler()
        {
            sampling = Task.Run(async () =>
            {
                long workingSet = 0, heap = 0;
                while (!stop.IsCancellationRequested)
                {
                    workingSet = Math.Max(workingSet, Environment.WorkingSet);
                    heap = Math.Max(heap, GC.GetTotalMemory(false));
                    try
                    {
                        await Task.Delay(20, stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }

                return (workingSet, heap);
            });
        }

        public (long PeakWorkingSet, long PeakHeap) Stop()
        {
            stop.Cancel();
            return sampling.GetAwaiter().GetResult();
        }

        public void Dispose()
        {
            stop.Cancel();
            stop.Dispose();
        }
    }
}
