using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL server for the tests. The test command (test.sh) starts one and passes its connection string in
/// <c>PORTAL_TEST_POSTGRES</c>; without it (a bare <c>dotnet test</c>) this fixture starts its own on loopback in a
/// temporary folder and removes it afterwards. Each test gets a database of its own.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string BinDir = "/usr/lib/postgresql/15/bin";
    private string? _dataDir;

    public string AdminConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("PORTAL_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            AdminConnectionString = fromEnvironment;
            return;
        }

        if (!File.Exists(Path.Combine(BinDir, "initdb")))
        {
            throw new InvalidOperationException("PostgreSQL is not installed: run ./test.sh, or `apt-get install -y postgresql`.");
        }

        _dataDir = Directory.CreateTempSubdirectory("portal-pg-").FullName;
        await RunAsync("chown", "postgres:postgres", _dataDir);
        await RunAsync("runuser", "-u", "postgres", "--", Path.Combine(BinDir, "initdb"), "-D", _dataDir, "-A", "trust", "-U", "postgres", "--no-sync");
        var port = FreePort();
        await RunAsync("runuser", "-u", "postgres", "--", Path.Combine(BinDir, "pg_ctl"), "-D", _dataDir, "-w", "-l", Path.Combine(_dataDir, "server.log"),
            "-o", $"-p {port} -k {_dataDir} -c listen_addresses=127.0.0.1 -c fsync=off", "start");
        AdminConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "portal_test_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (_dataDir is null)
        {
            return;
        }

        await RunAsync("runuser", "-u", "postgres", "--", Path.Combine(BinDir, "pg_ctl"), "-D", _dataDir, "-m", "immediate", "stop");
        Directory.Delete(_dataDir, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
    }
}
