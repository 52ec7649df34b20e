using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.LocalCloud;

namespace Portal.Sandbox;

/// <summary>
/// The local cloud of sandbox mode, inside the portal's process: the AWS endpoint the portal's clients call, started
/// with the portal and kept in <c>&lt;data folder&gt;/sandbox</c>, so stacks, records and site content survive a restart.
/// </summary>
public sealed partial class SandboxCloud : IAsyncDisposable
{
    private readonly SemaphoreSlim _saving = new(1, 1);
    private readonly ILogger<SandboxCloud> _logger;
    private long _savedAtRequest = -1;

    private SandboxCloud(LocalCloudEndpoint endpoint, string directory, ILogger<SandboxCloud> logger)
    {
        Endpoint = endpoint;
        Directory = directory;
        _logger = logger;
    }

    public LocalCloudEndpoint Endpoint { get; }

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
            AccessKey = accessKey,
            SecretKey = secretKey,
        }).GetAwaiter().GetResult();
        var cloud = new SandboxCloud(endpoint, directory, logger);
        cloud.Restore(settings);
        LogStarted(logger, endpoint.ServiceUrl, directory);
        return cloud;
    }

    /// <summary>Writes the state when anything reached the endpoint since the last save (or always, at shutdown).</summary>
    public async Task SaveAsync(bool force, CancellationToken ct)
    {
        await _saving.WaitAsync(ct);
        try
        {
            var requests = Endpoint.RequestCount;
            if (!force && requests == _savedAtRequest)
            {
                return;
            }

            Endpoint.S3.SaveState(Path.Combine(Directory, "s3"));
            _savedAtRequest = requests;
        }
        finally
        {
            _saving.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Endpoint.DisposeAsync();
        _saving.Dispose();
    }

    private void Restore(SandboxOptions settings)
    {
        var restored = Endpoint.S3.RestoreState(Path.Combine(Directory, "s3"));
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox: state restored from {Directory}.")]
    private static partial void LogRestored(ILogger logger, string directory);
}
