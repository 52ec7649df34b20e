using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Data;
using Portal.Tests.Identity;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Web;

/// <summary>
/// In Production, while the Data Protection keys are stored unencrypted (no <c>DataProtection:CertificateFile</c>),
/// the portal logs a warning at start and shows it on the admin page; with a certificate there is no warning.
/// </summary>
public sealed class KeyProtectionWarningTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("portal-key-warning-").FullName;

    [Fact]
    public async Task Unencrypted_keys_in_production_are_a_warning_in_the_log_and_on_the_admin_page()
    {
        var logs = new CapturedLogs();
        await using var portal = new PortalFactory();
        await using var production = InProduction(portal, logs);

        var page = await AdminPageAsync(production);

        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message == KeyProtectionStatus.UnencryptedWarning);
        Assert.Contains("data-testid=\"operational-warning\"", page, StringComparison.Ordinal);
        Assert.Contains("Data Protection keys are stored unencrypted", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_encrypted_to_a_certificate_give_no_warning()
    {
        var pfx = Path.Combine(_folder, "keys.pfx");
        using (var key = RSA.Create(2048))
        {
            using var certificate = new CertificateRequest("CN=portal keys", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pkcs12, "secret"));
        }

        var logs = new CapturedLogs();
        await using var portal = new PortalFactory(new Dictionary<string, string?>
        {
            ["DataProtection:CertificateFile"] = pfx,
            ["DataProtection:CertificatePassword"] = "secret",
        });
        await using var production = InProduction(portal, logs);

        var page = await AdminPageAsync(production);

        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("unencrypted", StringComparison.Ordinal));
        Assert.DoesNotContain("operational-warning", page, StringComparison.Ordinal);
    }

    private static WebApplicationFactory<Program> InProduction(PortalFactory portal, CapturedLogs logs) =>
        portal.WithWebHostBuilder(b => b.UseEnvironment("Production").ConfigureServices(s => s.AddSingleton<ILoggerProvider>(logs)));

    private static async Task<string> AdminPageAsync(WebApplicationFactory<Program> portal)
    {
        using var admin = Sessions.ClientFor(portal, Persona.Admin);
        using var response = await admin.GetAsync(new Uri("/admin/users", UriKind.Relative));
        var page = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {page}");
        return page;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed class CapturedLogs : ILoggerProvider
    {
        public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturedLogs owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Entries.Enqueue((logLevel, formatter(state, exception)));
        }
    }
}
