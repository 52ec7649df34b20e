using System.Diagnostics;

namespace Portal.Tests.Identity;

/// <summary>
/// The npm package oidc-provider (installed by test.sh into Portal.SystemTests/oidc-provider) run by node on loopback:
/// an OpenID Connect provider that is not the portal's own.
/// </summary>
public sealed class ExternalProvider : IAsyncDisposable
{
    public const string ClientSecret = "portal-test-secret";

    private readonly Process _process;

    private ExternalProvider(Process process, Uri issuer)
    {
        _process = process;
        Issuer = issuer;
    }

    public Uri Issuer { get; }

    public static async Task<ExternalProvider> StartAsync(Uri portalOrigin)
    {
        ArgumentNullException.ThrowIfNull(portalOrigin);
        var folder = Path.Combine(RepositoryRoot(), "Portal.SystemTests", "oidc-provider");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "oidc-provider")))
        {
            throw new InvalidOperationException($"oidc-provider is not installed: run 'npm ci' in {folder} (test.sh does).");
        }

        var port = LivePortal.FreePort();
        var start = new ProcessStartInfo("node", "server.mjs")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["PORTAL"] = portalOrigin.GetLeftPart(UriPartial.Authority), ["NODE_ENV"] = "test" },
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => errors.AppendLine(e.Data);
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            if (line is null)
            {
                throw new InvalidOperationException($"oidc-provider exited: {errors}");
            }

            if (line.StartsWith("listening ", StringComparison.Ordinal))
            {
                // Keep draining its output so it never blocks on a full pipe.
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                return new ExternalProvider(process, new Uri(line["listening ".Length..]));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Portal.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Portal.slnx) was not found above the test binaries.");
    }
}
