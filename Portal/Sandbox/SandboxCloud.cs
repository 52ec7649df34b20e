using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Portal.Data;
using System.Net;
using Portal.LocalCloud;
using Portal.LocalCloud.Dns;
using Portal.LocalCloud.Edge;

namespace Portal.Sandbox;

/// <summary>
/// The local cloud of sandbox mode, inside the portal's process: the AWS endpoint the portal's clients call, started
/// with the portal and kept in <c>&lt;data folder&gt;/sandbox</c>, so stacks, records and site content survive a restart.
/// Registered accounts are accounts of the same local cloud: each is kept beside the default one (under
/// <c>accounts/&lt;id&gt;</c>), and the edge and the DNS server serve every account's distributions and zones.
/// </summary>
public sealed partial class SandboxCloud : IAsyncDisposable
{
    private readonly SemaphoreSlim _saving = new(1, 1);
    private readonly ILogger<SandboxCloud> _logger;
    private const string StateFile = "state.json";
    private long _savedAtRequest = -1;
    private bool _disposed;

    /// <summary>
    /// What the sandbox's DNS server answers for every distribution name. Nothing listens there: the health checks'
    /// connections to it on 443 and 80 are routed to the edge's ports (<see cref="Routes"/>); browsers never ask, since
    /// they reach the edge through names under <c>.localhost</c>.
    /// </summary>
    public static readonly IPAddress EdgeAddressV4 = IPAddress.Parse("127.77.0.1");

    /// <summary>The IPv6 twin of <see cref="EdgeAddressV4"/>: a unique local address, routed the same way.</summary>
    public static readonly IPAddress EdgeAddressV6 = IPAddress.Parse("fd00:5a4e:d0::1");

    private SandboxCloud(LocalCloudEndpoint endpoint, EdgeServer edge, LocalDnsServer dns, string directory, ILogger<SandboxCloud> logger)
    {
        Endpoint = endpoint;
        Edge = edge;
        Dns = dns;
        Directory = directory;
        _logger = logger;
    }

    public LocalCloudEndpoint Endpoint { get; }

    /// <summary>Serves every deployed distribution on loopback.</summary>
    public EdgeServer Edge { get; }

    /// <summary>Answers for the sandbox's hosted zones.</summary>
    public LocalDnsServer Dns { get; }

    /// <summary>Where the health checks' connections to the published edge addresses really go.</summary>
    public IReadOnlyDictionary<IPEndPoint, IPEndPoint> Routes => new Dictionary<IPEndPoint, IPEndPoint>
    {
        [new(EdgeAddressV4, 443)] = new(IPAddress.Loopback, Edge.HttpsPort),
        [new(EdgeAddressV4, 80)] = new(IPAddress.Loopback, Edge.HttpPort),
        [new(EdgeAddressV6, 443)] = new(IPAddress.Loopback, Edge.HttpsPort),
        [new(EdgeAddressV6, 80)] = new(IPAddress.Loopback, Edge.HttpPort),
    };

    /// <summary>Where the sandbox keeps its state.</summary>
    public string Directory { get; }

    public string AccessKey => Endpoint.AccessKey;

    public string SecretKey => Endpoint.SecretKey;

    public static SandboxCloud Start(IOptions<SandboxOptions> options, IOptions<DatabaseOptions> database, IHostEnvironment environment, TimeProvider clock, ILogger<SandboxCloud> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(environment);
        var settings = options.Value;
        var directory = Path.Combine(Path.GetFullPath(database.Value.DataDirectory, environment.ContentRootPath), "sandbox");
        System.IO.Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        // The key pair only guards a loopback port; it is made once per data folder so another local program cannot guess it.
        var (accessKey, secretKey) = KeyPair(directory);
        var endpoint = LocalCloudEndpoint.StartAsync(new LocalCloudEndpointOptions
        {
            Port = settings.AwsPort,
            Clock = clock,
            Quotas = settings.Quotas,
            AccessKey = accessKey,
            SecretKey = secretKey,
        }).GetAwaiter().GetResult();
        var edge = EdgeServer.StartAsync(new EdgeOptions
        {
            DataDirectory = Path.Combine(directory, "edge"),
            HttpPort = settings.EdgeHttpPort,
            HttpsPort = settings.EdgeHttpsPort,
        }, () => EdgeAccounts(endpoint), clock).GetAwaiter().GetResult();
        var dns = LocalDnsServer.Start(new DnsOptions
        {
            Port = settings.DnsPort,
            EdgeAddressV4 = EdgeAddressV4,
            EdgeAddressV6 = EdgeAddressV6,
        }, () => ZoneAccounts(endpoint));
        var cloud = new SandboxCloud(endpoint, edge, dns, directory, logger);
        cloud.Restore(settings);
        LogStarted(logger, endpoint.ServiceUrl, directory);
        LogEdge(logger, edge.HttpPort, edge.HttpsPort, dns.Port, edge.CertificateAuthority.CertificatePath);
        return cloud;
    }

    /// <summary>
    /// The roots the health checks trust in sandbox mode: the sandbox's CA, plus the operator's own file when one is
    /// configured (both in one PEM, since the checks read one file).
    /// </summary>
    public string TrustedRootsFile(string? configured)
    {
        var ca = Edge.CertificateAuthority.CertificatePath;
        if (string.IsNullOrWhiteSpace(configured) || !File.Exists(configured))
        {
            return ca;
        }

        var combined = Path.Combine(Directory, "trusted-roots.pem");
        File.WriteAllText(combined, File.ReadAllText(configured).TrimEnd() + "\n" + File.ReadAllText(ca));
        return combined;
    }

    /// <summary>Writes the state when anything reached the endpoint since the last save (or always, at shutdown).</summary>
    public async Task SaveAsync(bool force, CancellationToken ct)
    {
        await _saving.WaitAsync(ct);
        try
        {
            await SaveLockedAsync(force, ct);
        }
        finally
        {
            _saving.Release();
        }
    }

    /// <summary>Saves once more, then stops the servers; a save asked for afterwards does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        await _saving.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }

            await SaveLockedAsync(force: true, CancellationToken.None);
            _disposed = true;
        }
        finally
        {
            _saving.Release();
        }

        await Dns.DisposeAsync();
        await Edge.DisposeAsync();
        await Endpoint.DisposeAsync();
    }

    private async Task SaveLockedAsync(bool force, CancellationToken ct)
    {
        var requests = Endpoint.RequestCount;
        if (_disposed || (!force && requests == _savedAtRequest))
        {
            return;
        }

        var state = new JsonObject
        {
            ["cloudFormation"] = Endpoint.CloudFormation.SaveState(),
            ["route53"] = Endpoint.Route53.SaveState(),
            ["cloudFront"] = Endpoint.CloudFront.SaveState(),
        };
        Endpoint.S3.SaveState(Path.Combine(Directory, "s3"));
        var accounts = new JsonObject();
        foreach (var account in Endpoint.OtherAccounts.Where(a => IsAccountId(a.AccountId)))
        {
            accounts[account.AccountId] = new JsonObject
            {
                ["cloudFormation"] = account.CloudFormation.SaveState(),
                ["route53"] = account.Route53.SaveState(),
                ["cloudFront"] = account.CloudFront.SaveState(),
            };
            account.S3.SaveState(Path.Combine(Directory, "accounts", account.AccountId, "s3"));
        }

        state["accounts"] = accounts;
        var file = Path.Combine(Directory, StateFile);
        await File.WriteAllTextAsync(file + ".tmp", state.ToJsonString(), ct);
        File.Move(file + ".tmp", file, overwrite: true);
        _savedAtRequest = requests;
    }

    private void Restore(SandboxOptions settings)
    {
        var restored = Endpoint.S3.RestoreState(Path.Combine(Directory, "s3"));
        var file = Path.Combine(Directory, StateFile);
        if (File.Exists(file) && JsonNode.Parse(File.ReadAllText(file)) is JsonObject state)
        {
            // The buckets first: the stacks' resources refer to them.
            Endpoint.Route53.RestoreState(state["route53"]!.AsObject());
            Endpoint.CloudFront.RestoreState(state["cloudFront"]!.AsObject());
            Endpoint.CloudFormation.RestoreState(state["cloudFormation"]!.AsObject());
            restored = true;

            // A registered account's stacks, zones and buckets; its role comes back when the portal first uses the account.
            foreach (var (id, saved) in state["accounts"]?.AsObject() ?? new JsonObject())
            {
                if (!IsAccountId(id) || saved is not JsonObject account)
                {
                    continue;
                }

                var target = Endpoint.Account(id);
                target.S3.RestoreState(Path.Combine(Directory, "accounts", id, "s3"));
                target.Route53.RestoreState(account["route53"]!.AsObject());
                target.CloudFront.RestoreState(account["cloudFront"]!.AsObject());
                target.CloudFormation.RestoreState(account["cloudFormation"]!.AsObject());
            }
        }

        var zones = Endpoint.Route53.Zones().Select(z => z.Name.TrimEnd('.')).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var zone in settings.HostedZones.Select(z => z.Trim().TrimEnd('.').ToLowerInvariant()).Where(z => z.Length > 0 && !zones.Contains(z)))
        {
            Endpoint.Route53.AddZone(zone);
        }

        if (restored)
        {
            LogRestored(_logger, Directory);
        }
    }

    /// <summary>What the edge serves: the default account's distributions, then those of each registered account reached so far.</summary>
    private static IReadOnlyList<EdgeAccount> EdgeAccounts(LocalCloudEndpoint endpoint) =>
        [new EdgeAccount(endpoint.Resources, endpoint.S3), .. endpoint.OtherAccounts.Select(a => new EdgeAccount(a.Resources, a.S3, a.AccountId))];

    /// <summary>What the DNS server answers from: the default account's zones first, then each registered account's.</summary>
    private static IReadOnlyList<Portal.LocalCloud.Route53.Route53Service> ZoneAccounts(LocalCloudEndpoint endpoint) =>
        [endpoint.Route53, .. endpoint.OtherAccounts.Select(a => a.Route53)];

    /// <summary>An AWS account id (twelve digits): the only names used as folders of the state.</summary>
    private static bool IsAccountId(string id) => id.Length == 12 && id.All(char.IsAsciiDigit);

    private static (string AccessKey, string SecretKey) KeyPair(string directory)
    {
        var path = Path.Combine(directory, "credentials.json");
        if (File.Exists(path) && JsonNode.Parse(File.ReadAllText(path)) is JsonObject saved
            && (string?)saved["accessKey"] is { Length: 20 } access && (string?)saved["secretKey"] is { Length: 40 } secret)
        {
            return (access, secret);
        }

        const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var accessKey = "AKIA" + new string(System.Security.Cryptography.RandomNumberGenerator.GetItems(Upper.AsSpan(), 16));
        var secretKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(30));
        var json = new JsonObject { ["accessKey"] = accessKey, ["secretKey"] = secretKey };
        File.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return (accessKey, secretKey);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox mode: the local cloud answers AWS calls at {ServiceUrl}; its state is kept in {Directory}. Nothing is created in AWS.")]
    private static partial void LogStarted(ILogger logger, Uri serviceUrl, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox: deployed sites are served at http://<name>.localhost:{HttpPort}/ (HTTPS with HTTP/2 on port {HttpsPort}, certificates from the sandbox's CA {CaFile}); DNS for the sandbox's zones on 127.0.0.1:{DnsPort}.")]
    private static partial void LogEdge(ILogger logger, int httpPort, int httpsPort, int dnsPort, string caFile);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox: state restored from {Directory}.")]
    private static partial void LogRestored(ILogger logger, string directory);
}
