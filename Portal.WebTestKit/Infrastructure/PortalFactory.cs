using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace Portal.Tests.Infrastructure;

/// <summary>The real portal in memory, on a SQLite file of its own unless settings say otherwise.</summary>
public sealed class PortalFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public PortalFactory(IDictionary<string, string?>? settings = null)
    {
        DataDirectory = Directory.CreateTempSubdirectory("portal-web-").FullName;
        _settings = new Dictionary<string, string?>
        {
            ["Database:DataDirectory"] = DataDirectory,

            // Health checks and MX lookups ask a resolver on loopback where nobody answers unless a test names one: nothing leaves the machine.
            ["Dns:Servers:0"] = $"127.0.0.1:{Identity.LivePortal.FreePort()}",
            ["Dns:Timeout"] = "00:00:01",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public string DataDirectory { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");

        // Validate the container as the Development environment does (a singleton holding a scoped service fails the
        // build of the host), whatever environment the test runs in.
        builder.UseDefaultServiceProvider(o =>
        {
            o.ValidateScopes = true;
            o.ValidateOnBuild = true;
        });
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(_settings));

        // Also as host settings, which the portal already sees while it registers its services (as it sees environment variables).
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment on a busy machine; the OS cleans temp folders.
        }
    }
}
