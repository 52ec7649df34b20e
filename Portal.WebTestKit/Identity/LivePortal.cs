using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Portal.Identity;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.Core.Workflow;
using Portal.Identity.BuiltIn;

namespace Portal.Tests.Identity;

/// <summary>
/// The real portal on Kestrel at 127.0.0.1 (a browser cannot reach the in-memory test server), on a SQLite file of
/// its own, with the built-in identity provider unless settings name another.
/// </summary>
public sealed class LivePortal : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly X509Certificate2? _certificate;
    private readonly bool _ownsData;
    private readonly string _environment;
    private readonly Action<IServiceCollection>? _testServices;

    public LivePortal(
        IDictionary<string, string?>? settings = null, X509Certificate2? certificate = null, int port = 0, string? dataDirectory = null, string environment = "Testing",
        Action<IServiceCollection>? testServices = null)
    {
        _environment = environment;
        _testServices = testServices;
        _ownsData = dataDirectory is null;
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("portal-live-").FullName;
        _certificate = certificate;
        _settings = new Dictionary<string, string?>
        {
            ["Database:DataDirectory"] = DataDirectory,

            // Health checks and MX lookups ask a resolver on loopback where nobody answers unless a test names one: nothing leaves the machine.
            ["Dns:Servers:0"] = $"127.0.0.1:{FreePort()}",
            ["Dns:Timeout"] = "00:00:01",
            ["Logging:LogLevel:Default"] = Environment.GetEnvironmentVariable("PORTAL_TEST_LOG") ?? "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        UseKestrel(o => o.Listen(IPAddress.Loopback, port, listen =>
        {
            if (_certificate is not null)
            {
                listen.UseHttps(_certificate);
            }
        }));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        foreach (var registration in Services.GetServices<IHostedService>().OfType<BuiltInClientRegistration>())
        {
            registration.Registered.WaitAsync(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
        }
    }

    public string DataDirectory { get; }

    /// <summary>A port nobody listens on right now, for a portal whose address must be known before it starts.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>e.g. http://127.0.0.1:41234/</summary>
    public Uri BaseAddress { get; }

    public Uri Url(string path) => new(BaseAddress, path);

    public async Task<PortalUser> CreateUserAsync(string email, string name, PortalRole role, string password)
    {
        await using var scope = Services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var result = await admin.CreateWithPasswordAsync(email, name, role, password);
        Assert.True(result.Succeeded, result.Error);
        return (await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByIdAsync(result.User!.Id))!;
    }

    /// <summary>
    /// A built-in user with TOTP enrolled and <paramref name="roles"/> (none: a person nobody gave a role, made as a
    /// requester who then loses the role); returns the user and the authenticator key.
    /// </summary>
    public async Task<(PortalUser User, string AuthenticatorKey)> EnrolledUserAsync(string email, string name, string password, params PortalRole[] roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var created = await CreateUserAsync(email, name, roles.Length > 0 ? roles[0] : PortalRole.Requester, password);
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = (await users.FindByIdAsync(created.Id))!;
        if (roles.Length == 0)
        {
            Assert.True((await users.RemoveFromRoleAsync(user, nameof(PortalRole.Requester))).Succeeded);
        }

        foreach (var role in roles.Skip(1))
        {
            Assert.True((await users.AddToRoleAsync(user, role.ToString())).Succeeded);
        }

        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        return (user, (await users.GetAuthenticatorKeyAsync(user))!);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment(_environment);

        // Validate the container as the Development environment does (a singleton holding a scoped service fails the
        // build of the host), whatever environment the test runs in.
        builder.UseDefaultServiceProvider(o =>
        {
            o.ValidateScopes = true;
            o.ValidateOnBuild = true;
        });

        // Package files (MudBlazor, blazor.web.js) come from the build's static web assets manifest outside Development too.
        builder.UseStaticWebAssets();
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(_settings));
        if (_testServices is not null)
        {
            builder.ConfigureTestServices(_testServices);
        }

        if (_certificate is not null)
        {
            // The portal calls itself (its provider's discovery document and token endpoint): trust the test certificate there.
            var thumbprint = _certificate.GetCertHashString();
            builder.ConfigureTestServices(services => services.Configure<OpenIdConnectOptions>(PortalSchemes.OpenIdConnect, o =>
                o.BackchannelHttpHandler = new SocketsHttpHandler
                {
                    SslOptions = new System.Net.Security.SslClientAuthenticationOptions
                    {
                        RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == thumbprint,
                    },
                }));
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!_ownsData)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the OS cleans temp folders.
        }
    }
}
