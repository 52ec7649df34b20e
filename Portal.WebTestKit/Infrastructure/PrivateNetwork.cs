using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using DnsClient;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// A private network for tests that need real DNS and HTTPS: its own network, mount and PID namespaces, a DNS
/// server (dnsmasq) and a web server (nginx) inside, a test CA, and a link from the test process so in-process
/// .NET code can reach those servers. Nothing here sends a packet anywhere but loopback and this network.
/// </summary>
/// <remarks>
/// <para>Layout. Each network takes one block <c>10.231.N.0/24</c> (N picked at random, claimed atomically by
/// the host link name <c>pnet231-N</c>, so parallel test classes and processes never share one). A veth pair joins
/// the host (<see cref="HostAddress"/>, <c>10.231.N.1</c>) and the namespace (<c>10.231.N.2</c>, where the DNS
/// server listens besides 127.0.0.1). Server addresses come from <see cref="AllocateAddressAsync"/>: each is put on
/// the namespace's loopback and is routed from the host through the veth, so a DNS A record pointing at it works
/// both for tools run inside (<see cref="RunAsync"/>) and for code in the test process. IPv6 works the same way
/// in <c>fd0a:231:N::/48</c>. The namespace has no default route: nothing inside reaches any other network.</para>
/// <para>Inside, <c>/etc/resolv.conf</c> names 127.0.0.1 only, <c>/etc/hosts</c> holds only localhost, and
/// <c>/etc/ssl/certs</c> holds only the test CA: bind mounts in the private mount namespace, the host's files
/// are untouched. In-process code resolves through <see cref="DnsEndPoint"/> (<see cref="CreateLookupClient"/>)
/// and connects through <see cref="ConnectAsync"/> (<see cref="CreateHttpHandler"/>).</para>
/// <para>Cleanup. <see cref="DisposeAsync"/> kills every process and deletes the folder. If the test process
/// dies first, the namespace's init sees its stdin close and exits; the kernel then kills everything in the
/// PID namespace and removes the network with its link and routes.</para>
/// </remarks>
/// <example>
/// <code>
/// public sealed class SomeTests(PrivateNetworkFixture fixture) : IClassFixture&lt;PrivateNetworkFixture&gt;
/// {
///     [Fact]
///     public async Task Policy_is_valid()
///     {
///         var network = fixture.Network;
///         var address = await network.AllocateAddressAsync();
///         await network.StartDnsAsync(new DnsZone()
///             .Txt("_mta-sts.example.test", "v=STSv1; id=1;")
///             .Mx("example.test", "mx1.example.test", 10)
///             .A("mta-sts.example.test", address));
///         await network.StartWebAsync(new WebSite("mta-sts.example.test", address)
///             .File("/.well-known/mta-sts.txt", "version: STSv1\nmode: enforce\nmx: mx1.example.test\nmax_age: 86400\n", "text/plain"));
///
///         var viaTool = await network.QueryMtaStsAsync("example.test");        // mta-sts-query inside
///         var txt = await network.CreateLookupClient().QueryAsync("_mta-sts.example.test", QueryType.TXT); // from this process
///         using var http = new HttpClient(network.CreateHttpHandler());    // from this process, test CA trusted
///         var body = await http.GetStringAsync(new Uri("https://mta-sts.example.test/.well-known/mta-sts.txt"));
///     }
/// }
/// </code>
/// </example>
public sealed class PrivateNetwork : IAsyncDisposable
{
    private const string LinkPrefix = "pnet231-";
    private const string NamespaceLink = "uplink0";
    private const int FirstServerHost = 4;
    private const int LastServerHost = 254;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly Process holder;
    private readonly string unshare;
    private readonly string nsenter;
    private readonly string setpriv;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Lock addressLock = new();
    private readonly HashSet<IPAddress> allocated = [];
    private readonly Dictionary<string, IssuedCertificate> issuedForNames = new(StringComparer.Ordinal);
    private LookupClient? lookup;
    private int nextIPv4 = FirstServerHost;
    private int nextIPv6 = 1;
    private string? ipv6Problem;
    private NamespaceDaemon? dns;
    private NamespaceDaemon? web;
    private readonly List<NamespaceDaemon> servers = [];
    private bool disposed;

    private PrivateNetwork(string directory, Process holder, int namespacePid, TestCertificateAuthority ca, string unshare, string nsenter, string setpriv)
    {
        this.unshare = unshare;
        Directory = directory;
        this.holder = holder;
        NamespacePid = namespacePid;
        CertificateAuthority = ca;
        this.nsenter = nsenter;
        this.setpriv = setpriv;
    }

    /// <summary>The fixture's folder (mode 755 so nginx workers running as nobody can read it); deleted on dispose.</summary>
    public string Directory { get; }

    /// <summary>Host PID of the namespace's init; <c>nsenter -t</c> this PID to enter the namespace by hand.</summary>
    public int NamespacePid { get; }

    /// <summary>The CA every fixture certificate comes from and the only one trusted inside the namespace.</summary>
    public TestCertificateAuthority CertificateAuthority { get; }

    /// <summary>N of this network's block <c>10.231.N.0/24</c>.</summary>
    public int Block { get; private set; }

    /// <summary>The test process's end of the link (<c>10.231.N.1</c>); servers see in-process clients come from here.</summary>
    public IPAddress HostAddress => IPAddress.Parse($"10.231.{Block}.1");

    /// <summary>
    /// This network's blocks in CIDR notation (<c>10.231.N.0/24</c>, <c>fd0a:231:N::/48</c>): private addresses the
    /// portal's checks refuse unless they are listed in <c>Health:AllowedNetworks</c>, as fixtures do.
    /// </summary>
    public IReadOnlyList<string> Networks => [$"10.231.{Block}.0/24", $"fd0a:231:{Block:x}::/48"];

    /// <summary>The settings that allow the portal's checks to connect into this network (<see cref="Networks"/>).</summary>
    public Dictionary<string, string?> AllowedNetworkSettings(string prefix = "Health:AllowedNetworks:") =>
        Networks.Select((network, i) => (Key: prefix + i.ToString(CultureInfo.InvariantCulture), Value: network)).ToDictionary(e => e.Key, e => (string?)e.Value);

    /// <summary>Where the fixture DNS server answers, from the test process and inside (<c>10.231.N.2:53</c>; inside also 127.0.0.1:53).</summary>
    public IPEndPoint DnsEndPoint => new(IPAddress.Parse($"10.231.{Block}.2"), 53);

    /// <summary>Makes the namespaces, the link and the CA. Fails with the package to install when a tool is missing.</summary>
    /// <param name="time">Clock for certificate dates; clients check them against the real clock, so keep the default outside CA unit tests.</param>
    public static async Task<PrivateNetwork> CreateAsync(TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The private network needs Linux namespaces.");
        }

        RequiredTools.RequireRoot();
        var unshare = RequiredTools.Require("unshare");
        var nsenter = RequiredTools.Require("nsenter");
        var setpriv = RequiredTools.Require("setpriv");
        RequiredTools.Require("ip");
        RequiredTools.Require("mount");
        RequiredTools.Require("kill");

        var directory = System.IO.Directory.CreateTempSubdirectory("private-network-").FullName;
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        TestCertificateAuthority? ca = null;
        Process? holder = null;
        PrivateNetwork? network = null;
        try
        {
            ca = new TestCertificateAuthority(Path.Combine(directory, "ca"), time);
            holder = StartHolder(unshare);
            var namespacePid = await WaitForInitAsync(holder, cancellationToken);
            network = new PrivateNetwork(directory, holder, namespacePid, ca, unshare, nsenter, setpriv);
            await network.MountPrivateFilesAsync(cancellationToken);
            network.Block = await network.LinkAsync(cancellationToken);
            network.lookup = network.CreateLookupClient();
            return network;
        }
        catch
        {
            if (holder is not null)
            {
                await StopHolderAsync(holder);
            }

            ca?.Dispose();
            TestDirectories.Delete(directory);
            throw;
        }
    }

    /// <summary>
    /// A new address for a server, present in the namespace and routed from the host. IPv4 addresses come from
    /// <c>10.231.N.4-254</c>; IPv6 from <c>fd0a:231:N:1::/64</c>.
    /// </summary>
    public async Task<IPAddress> AllocateAddressAsync(AddressFamily family = AddressFamily.InterNetwork, CancellationToken cancellationToken = default) =>
        (await AllocateAddressesAsync(1, family, cancellationToken))[0];

    /// <summary>Several new server addresses at once (one <c>ip</c> call).</summary>
    public async Task<IReadOnlyList<IPAddress>> AllocateAddressesAsync(int count, AddressFamily family = AddressFamily.InterNetwork, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var addresses = new List<IPAddress>();
        lock (addressLock)
        {
            for (var i = 0; i < count; i++)
            {
                if (family == AddressFamily.InterNetwork)
                {
                    if (nextIPv4 > LastServerHost)
                    {
                        throw new InvalidOperationException(
                            $"This network has no IPv4 server address left ({LastServerHost - FirstServerHost + 1} in all); " +
                            "let sites share an address (nginx tells them apart by SNI) or use another network.");
                    }

                    addresses.Add(IPAddress.Parse($"10.231.{Block}.{nextIPv4++}"));
                }
                else if (family == AddressFamily.InterNetworkV6)
                {
                    if (ipv6Problem is not null)
                    {
                        throw new InvalidOperationException($"IPv6 could not be set up in this network: {ipv6Problem}");
                    }

                    addresses.Add(IPAddress.Parse($"fd0a:231:{Block:x}:1::{nextIPv6++:x}"));
                }
                else
                {
                    throw new ArgumentOutOfRangeException(nameof(family), family, "Use InterNetwork or InterNetworkV6.");
                }
            }
        }

        var script = string.Concat(addresses.Select(a => a.AddressFamily == AddressFamily.InterNetworkV6
            ? $"addr add {a}/128 dev lo nodad\n"
            : $"addr add {a}/32 dev lo\n"));
        (await RunAsync("ip", ["-batch", "-"], standardInput: script, cancellationToken: cancellationToken)).EnsureSuccess();
        lock (addressLock)
        {
            allocated.UnionWith(addresses);
        }

        return addresses;
    }

    /// <summary>
    /// (Re)starts the DNS server with exactly these records, listening on 127.0.0.1:53 inside and on
    /// <see cref="DnsEndPoint"/>; returns once it is bound.
    /// </summary>
    public async Task StartDnsAsync(DnsZone zone, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var dnsmasq = RequiredTools.Require("dnsmasq");
        await gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (dns is not null)
            {
                await dns.DisposeAsync();
                dns = null;
            }

            var folder = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "dns")).FullName;
            var listen = new[] { IPAddress.Loopback, DnsEndPoint.Address };
            var configPath = Path.Combine(folder, "dnsmasq.conf");
            await File.WriteAllTextAsync(configPath, zone.RenderDnsmasqConfig(listen, Path.Combine(folder, "dnsmasq.pid")), cancellationToken);

            var daemon = NamespaceDaemon.Start("dnsmasq", nsenter, InNamespace(dnsmasq, ["--keep-in-foreground", "--log-facility=-", "--conf-file=" + configPath], "TERM"));
            try
            {
                var endpoints = listen.Select(a => new IPEndPoint(a, 53)).ToArray();
                await daemon.WaitUntilListeningAsync(NamespacePid, endpoints, endpoints, StartTimeout);
            }
            catch
            {
                await daemon.DisposeAsync();
                throw;
            }

            dns = daemon;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// (Re)starts the web server with exactly these sites; returns once every listener is bound. Each site's
    /// address must come from <see cref="AllocateAddressAsync"/>; a site without a certificate gets one from the CA.
    /// </summary>
    public async Task StartWebAsync(IEnumerable<WebSite> sites, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sites);
        var list = sites.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("Give at least one site.", nameof(sites));
        }

        lock (addressLock)
        {
            var foreign = list.FirstOrDefault(s => !allocated.Contains(s.Address));
            if (foreign is not null)
            {
                throw new ArgumentException(
                    $"Site {foreign.HostName} uses {foreign.Address}, which is not an address of this network; get one from AllocateAddressAsync.",
                    nameof(sites));
            }
        }

        var nginx = RequiredTools.Require("nginx");
        await gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (web is not null)
            {
                await web.DisposeAsync();
                web = null;
            }

            var prefix = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "web")).FullName;
            var (configPath, listeners) = NginxConfig.Write(prefix, list, site => site.Certificate ?? DefaultCertificate(site));
            var daemon = NamespaceDaemon.Start("nginx", nsenter, InNamespace(nginx, ["-p", prefix + "/", "-c", configPath], "TERM"));
            try
            {
                await daemon.WaitUntilListeningAsync(NamespacePid, [.. listeners], [], StartTimeout);
            }
            catch (Exception error) when (error is InvalidOperationException or TimeoutException)
            {
                await daemon.DisposeAsync();
                var log = Path.Combine(prefix, "error.log");
                throw new InvalidOperationException(
                    $"{error.Message}\nerror.log:\n{(File.Exists(log) ? await File.ReadAllTextAsync(log, cancellationToken) : "(none)")}", error);
            }

            web = daemon;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Starts another server inside the namespace (a mail server, say) as a foreground process, and returns once it
    /// listens on every one of <paramref name="listening"/>. It runs until the network is disposed.
    /// </summary>
    public async Task StartServerAsync(string name, string command, IEnumerable<string> arguments, IReadOnlyCollection<IPEndPoint> listening, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listening);
        var program = RequiredTools.Require(command);
        await gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var daemon = NamespaceDaemon.Start(name, nsenter, InNamespace(program, arguments, "TERM"));
            try
            {
                await daemon.WaitUntilListeningAsync(NamespacePid, listening, [], StartTimeout);
            }
            catch
            {
                await daemon.DisposeAsync();
                throw;
            }

            servers.Add(daemon);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Starts the web server with the given sites.</summary>
    public Task StartWebAsync(params WebSite[] sites) => StartWebAsync(sites, CancellationToken.None);

    /// <summary>The web server's error log so far (useful in assertion messages).</summary>
    public string WebErrorLog => ReadWebLog("error.log");

    /// <summary>The web server's access log so far (nginx combined format): which requests really reached it.</summary>
    public string WebAccessLog => ReadWebLog("access.log");

    /// <summary>
    /// Runs a program inside the namespace and returns its exit code and output. The environment is the test
    /// process's without proxy variables, with <c>SSL_CERT_FILE</c> naming the test CA; <paramref name="environment"/>
    /// adds or (with null values) removes variables. Throws <see cref="TimeoutException"/> after
    /// <paramref name="timeout"/> (default 30 s), having killed the program. Processes the command starts in the
    /// background end when it ends.
    /// </summary>
    public async Task<ProcessResult> RunAsync(
        string command,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null,
        string? standardInput = null,
        CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var program = RequiredTools.Require(command);
        var argumentList = arguments.ToList();
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["http_proxy"] = null,
            ["https_proxy"] = null,
            ["HTTP_PROXY"] = null,
            ["HTTPS_PROXY"] = null,
            ["all_proxy"] = null,
            ["ALL_PROXY"] = null,
            ["no_proxy"] = null,
            ["NO_PROXY"] = null,
            ["SSL_CERT_FILE"] = CertificateAuthority.PemPath,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            variables[name] = value;
        }

        // The command is init of a PID namespace of its own, so whatever it leaves running (or a timeout interrupts)
        // is killed with it and cannot hold its output open.
        var result = await CommandRunner.RunAsync(
            nsenter,
            InNamespace(unshare, ["--pid", "--fork", "--kill-child", "--", program, .. argumentList], "KILL"),
            timeout ?? TimeSpan.FromSeconds(30),
            variables,
            standardInput,
            cancellationToken);
        return result with { Command = CommandRunner.Describe(command, argumentList) };
    }

    /// <summary>A DnsClient resolver asking only the fixture DNS server (no cache, 2 s timeout, one retry, TCP fallback).</summary>
    public LookupClient CreateLookupClient() => new(new LookupClientOptions(new NameServer(DnsEndPoint))
    {
        UseCache = false,
        Timeout = TimeSpan.FromSeconds(2),
        Retries = 1,
        UseTcpFallback = true,
    });

    private LookupClient Lookup => lookup ?? throw new InvalidOperationException("The network is not linked yet.");

    /// <summary>
    /// Resolves a name through the fixture DNS server (A, then AAAA) or parses an IP literal. Throws
    /// <see cref="SocketException"/> (HostNotFound) for a name without addresses and <see cref="InvalidOperationException"/>
    /// for an address outside this network.
    /// </summary>
    public async Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        List<IPAddress> addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            var ipv4 = await Lookup.QueryAsync(host, QueryType.A, cancellationToken: cancellationToken);
            var ipv6 = await Lookup.QueryAsync(host, QueryType.AAAA, cancellationToken: cancellationToken);
            addresses = [.. ipv4.Answers.ARecords().Select(r => r.Address), .. ipv6.Answers.AaaaRecords().Select(r => r.Address)];
            if (addresses.Count == 0)
            {
                // HostNotFound is what HttpClient reports as HttpRequestError.NameResolutionError.
                throw new SocketException(
                    (int)SocketError.HostNotFound,
                    $"'{host}' has no A or AAAA record in the fixture DNS ({ipv4.Header.ResponseCode}).");
            }
        }

        var outside = addresses.FirstOrDefault(a => !Contains(a));
        if (outside is not null)
        {
            throw new InvalidOperationException(
                $"'{host}' resolves to {outside}, outside the private network; the fixture connects nowhere else.");
        }

        return addresses;
    }

    /// <summary>
    /// A <see cref="SocketsHttpHandler.ConnectCallback"/> that resolves through the fixture DNS and connects only to
    /// addresses of this network, so an HttpClient never leaves it, whatever names a test uses.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var failures = new List<Exception>();
        foreach (var address in await ResolveAsync(context.DnsEndPoint.Host, cancellationToken))
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException error)
            {
                socket.Dispose();
                failures.Add(error);
            }
        }

        throw new HttpRequestException(
            HttpRequestError.ConnectionError,
            $"Could not connect to {context.DnsEndPoint.Host}:{context.DnsEndPoint.Port}: {string.Join("; ", failures.Select(f => f.Message))}",
            new AggregateException(failures));
    }

    /// <summary>
    /// An HttpClient handler for in-process code: names resolve through the fixture DNS (<see cref="ConnectAsync"/>),
    /// certificates must chain to the test CA and match the name, no proxy, redirects are not followed so tests see
    /// them, and no connection is reused so a restarted server is never met on a stale one. Change any property
    /// before first use.
    /// </summary>
    public SocketsHttpHandler CreateHttpHandler() => new()
    {
        ConnectCallback = ConnectAsync,
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.Zero,
        SslOptions = { RemoteCertificateValidationCallback = CertificateAuthority.ValidateServerCertificate },
    };

    /// <summary>True for addresses of this network (its IPv4 block or IPv6 prefix).</summary>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bytes = address.GetAddressBytes();
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => bytes[0] == 10 && bytes[1] == 231 && bytes[2] == Block,
            AddressFamily.InterNetworkV6 => bytes[0] == 0xfd && bytes[1] == 0x0a && bytes[2] == 0x02 && bytes[3] == 0x31
                && bytes[4] == 0 && bytes[5] == Block,
            _ => false,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await gate.WaitAsync();
        try
        {
            if (disposed)
            {
                return;
            }

            disposed = true;

            // The init's exit makes the kernel kill every process in the namespace at once, servers included.
            await StopHolderAsync(holder);
            foreach (var daemon in new[] { web, dns }.Concat(servers))
            {
                if (daemon is not null)
                {
                    await daemon.DisposeAsync();
                }
            }

            await CommandRunner.RunAsync("ip", ["link", "del", LinkName(Block)], TimeSpan.FromSeconds(10));
            CertificateAuthority.Dispose();
            TestDirectories.Delete(Directory);
        }
        finally
        {
            gate.Release();
        }
    }

    private string ReadWebLog(string name)
    {
        var log = Path.Combine(Directory, "web", name);
        return File.Exists(log) ? File.ReadAllText(log) : "";
    }

    /// <summary>A valid certificate for the site's names, issued once per set of names so restarts stay quick.</summary>
    private IssuedCertificate DefaultCertificate(WebSite site)
    {
        var key = string.Join(' ', site.AllNames);
        if (!issuedForNames.TryGetValue(key, out var certificate))
        {
            certificate = CertificateAuthority.Issue([.. site.AllNames]);
            issuedForNames[key] = certificate;
        }

        return certificate;
    }

    private List<string> InNamespace(string program, IEnumerable<string> arguments, string deathSignal) =>
    [
        $"--net=/proc/{NamespacePid}/ns/net",
        $"--mount=/proc/{NamespacePid}/ns/mnt",
        $"--pid=/proc/{NamespacePid}/ns/pid",
        "--",
        setpriv,
        "--pdeathsig",
        deathSignal,
        "--",
        program,
        .. arguments,
    ];

    private static string LinkName(int block) => LinkPrefix + block.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The namespaces' init is <c>cat</c> reading a pipe from this process: it exits when the pipe closes (on
    /// dispose, or when the test process dies), and with it every process in the PID namespace.
    /// </summary>
    private static Process StartHolder(string unshare)
    {
        var startInfo = new ProcessStartInfo(unshare)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--mount", "--net", "--pid", "--fork", "--mount-proc", "--kill-child", "--", "cat" })
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("unshare did not start.");
        return process;
    }

    private static async Task<int> WaitForInitAsync(Process holder, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (holder.HasExited)
            {
                var error = await holder.StandardError.ReadToEndAsync(cancellationToken);
                throw new InvalidOperationException($"unshare --mount --net --pid failed (exit {holder.ExitCode}): {error.Trim()}");
            }

            try
            {
                var children = (await File.ReadAllTextAsync($"/proc/{holder.Id}/task/{holder.Id}/children", cancellationToken))
                    .Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (children.Length == 1)
                {
                    var pid = int.Parse(children[0], CultureInfo.InvariantCulture);

                    // "cat" once the child has mounted /proc and exec'd, so the namespaces are complete.
                    if ((await File.ReadAllTextAsync($"/proc/{pid}/comm", cancellationToken)).Trim() == "cat")
                    {
                        return pid;
                    }
                }
            }
            catch (IOException)
            {
                // The child is between fork and exec; look again.
            }

            if (stopwatch.Elapsed > StartTimeout)
            {
                throw new TimeoutException("The namespace init did not start within " + StartTimeout.TotalSeconds + " s.");
            }

            await Task.Delay(5, cancellationToken);
        }
    }

    private static async Task StopHolderAsync(Process holder)
    {
        try
        {
            holder.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await holder.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync(CancellationToken.None);
        }

        holder.Dispose();
    }

    private async Task MountPrivateFilesAsync(CancellationToken cancellationToken)
    {
        var etc = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "etc")).FullName;
        var resolv = Path.Combine(etc, "resolv.conf");
        var hosts = Path.Combine(etc, "hosts");
        var certificates = System.IO.Directory.CreateDirectory(Path.Combine(etc, "ssl-certs")).FullName;
        await File.WriteAllTextAsync(resolv, "# Only the fixture DNS server inside this namespace.\nnameserver 127.0.0.1\noptions timeout:2 attempts:1\n", cancellationToken);
        await File.WriteAllTextAsync(hosts, "127.0.0.1 localhost\n::1 localhost\n", cancellationToken);
        File.Copy(CertificateAuthority.PemPath, Path.Combine(certificates, "ca-certificates.crt"));

        var script = new StringBuilder("set -e\nip link set lo up\n")
            .Append("mount --bind '").Append(resolv).Append("' /etc/resolv.conf\n")
            .Append("mount --bind '").Append(hosts).Append("' /etc/hosts\n")
            .Append("if [ -d /etc/ssl/certs ]; then mount --bind '").Append(certificates).Append("' /etc/ssl/certs; fi\n");
        (await RunAsync("sh", ["-c", script.ToString()], cancellationToken: cancellationToken)).EnsureSuccess();
    }

    /// <summary>Claims a free block by creating its host link (names are unique per host), then addresses and routes it.</summary>
    private async Task<int> LinkAsync(CancellationToken cancellationToken)
    {
        var first = Random.Shared.Next(256);
        var failures = new StringBuilder();
        for (var attempt = 0; attempt < 256; attempt++)
        {
            var block = (first + attempt) % 256;
            var link = LinkName(block);
            var created = await CommandRunner.RunAsync(
                "ip",
                ["link", "add", link, "type", "veth", "peer", "name", NamespaceLink, "netns", NamespacePid.ToString(CultureInfo.InvariantCulture)],
                TimeSpan.FromSeconds(10),
                cancellationToken: cancellationToken);
            if (!created.Succeeded)
            {
                if (created.StandardError.Contains("exists", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                throw new InvalidOperationException($"Could not create the veth link {link}: {created.StandardError.Trim()}");
            }

            var inside = await RunAsync("ip", ["-batch", "-"], standardInput:
                $"addr add 10.231.{block}.2/30 dev {NamespaceLink}\nlink set {NamespaceLink} up\n", cancellationToken: cancellationToken);
            var host = inside.Succeeded
                ? await CommandRunner.RunAsync("ip", ["-batch", "-"], TimeSpan.FromSeconds(10), standardInput:
                    $"addr add 10.231.{block}.1/30 dev {link}\nlink set {link} up\nroute add 10.231.{block}.0/24 via 10.231.{block}.2 dev {link}\n",
                    cancellationToken: cancellationToken)
                : inside;
            if (!host.Succeeded)
            {
                // Most likely someone else routes this block already; leave it to them.
                failures.Append(block).Append(": ").Append(host.StandardError.Trim()).Append('\n');
                await CommandRunner.RunAsync("ip", ["link", "del", link], TimeSpan.FromSeconds(10), cancellationToken: cancellationToken);
                continue;
            }

            ipv6Problem = await LinkIPv6Async(block, link, cancellationToken);
            return block;
        }

        throw new InvalidOperationException($"No free block in 10.231.0.0/16 for a private network:\n{failures}");
    }

    private async Task<string?> LinkIPv6Async(int block, string link, CancellationToken cancellationToken)
    {
        var prefix = $"fd0a:231:{block:x}";
        var inside = await RunAsync("ip", ["-batch", "-"], standardInput: $"addr add {prefix}::2/64 dev {NamespaceLink} nodad\n", cancellationToken: cancellationToken);
        if (!inside.Succeeded)
        {
            return inside.StandardError.Trim();
        }

        var host = await CommandRunner.RunAsync("ip", ["-batch", "-"], TimeSpan.FromSeconds(10), standardInput:
            $"addr add {prefix}::1/64 dev {link} nodad\nroute add {prefix}:1::/64 via {prefix}::2 dev {link}\n",
            cancellationToken: cancellationToken);
        return host.Succeeded ? null : host.StandardError.Trim();
    }
}
