using System.Globalization;
using System.Net;
using Portal.Tests.Api;

namespace Portal.Tests.Health;

/// <summary>
/// The portal with the API, whose health checks ask a scripted resolver on loopback and whose HTTPS and HTTP check
/// ports lead to listeners that record every connection: on 127.0.0.1 and, at the same ports, on 127.0.0.2. Nothing
/// leaves the machine. Each test class derives its own, so the listeners' counts belong to that class alone.
/// </summary>
public abstract class HealthProbePortal : IAsyncLifetime
{
    private static readonly IPAddress OtherLoopback = IPAddress.Parse("127.0.0.2");
    private readonly Func<string, int, IReadOnlyList<IPAddress>> answer;
    private readonly IReadOnlyDictionary<string, string?> settings;

    /// <param name="answer">The resolver's A records per (name, A questions for it before).</param>
    /// <param name="settings">More portal settings, e.g. <c>Health:AllowedNetworks</c>.</param>
    protected HealthProbePortal(Func<string, int, IReadOnlyList<IPAddress>> answer, IReadOnlyDictionary<string, string?>? settings = null)
    {
        this.answer = answer;
        this.settings = settings ?? new Dictionary<string, string?>();
    }

    public ApiPortal Api { get; private set; } = null!;

    public ScriptedDnsServer Dns { get; private set; } = null!;

    /// <summary>The HTTPS check port on 127.0.0.1.</summary>
    public ConnectionRecorder Https { get; private set; } = null!;

    /// <summary>The plain HTTP check port on 127.0.0.1.</summary>
    public ConnectionRecorder Http { get; private set; } = null!;

    /// <summary>The HTTPS check port on 127.0.0.2.</summary>
    public ConnectionRecorder OtherHttps { get; private set; } = null!;

    /// <summary>The plain HTTP check port on 127.0.0.2.</summary>
    public ConnectionRecorder OtherHttp { get; private set; } = null!;

    /// <summary>Connections to 127.0.0.1, the address no test here allows.</summary>
    public int LoopbackConnections => Https.Connections + Http.Connections;

    public async Task InitializeAsync()
    {
        Dns = new ScriptedDnsServer(answer);
        Https = new ConnectionRecorder(IPAddress.Loopback);
        Http = new ConnectionRecorder(IPAddress.Loopback);
        OtherHttps = new ConnectionRecorder(OtherLoopback, Https.Port);
        OtherHttp = new ConnectionRecorder(OtherLoopback, Http.Port);
        var all = new Dictionary<string, string?>
        {
            ["Dns:Servers:0"] = Dns.EndPoint.ToString(),
            ["Health:HttpsPort"] = Https.Port.ToString(CultureInfo.InvariantCulture),
            ["Health:HttpPort"] = Http.Port.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        Api = new ApiPortal { Settings = all };
        await Api.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Dns.DisposeAsync();
        await Https.DisposeAsync();
        await Http.DisposeAsync();
        await OtherHttps.DisposeAsync();
        await OtherHttp.DisposeAsync();
    }

    /// <summary>An API client for a new person with these roles.</summary>
    public async Task<HttpClient> ClientAsync(string email, params Core.Workflow.PortalRole[] roles)
    {
        await Api.UserAsync(email, email, roles);
        return Api.Client(await Api.TokenAsync(email));
    }
}
