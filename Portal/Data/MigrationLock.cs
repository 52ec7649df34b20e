using Npgsql;

namespace Portal.Data;

/// <summary>
/// Serialises schema migrations across replicas: on PostgreSQL a session advisory lock held while one process migrates,
/// so replicas started together on a fresh database wait for each other instead of creating the same tables at once.
/// SQLite is one file used by one process; it needs no lock.
/// </summary>
internal static class MigrationLock
{
    // Any fixed number shared by every portal process; advisory locks only matter to those who ask for the same one.
    private const long Key = 0x706F7274616C; // "portal"

    public static async Task<IAsyncDisposable> AcquireAsync(DatabaseOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Provider != DatabaseProvider.Postgres)
        {
            return NoLock.Instance;
        }

        var connection = new NpgsqlConnection(options.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", Key);
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync(ct);
            return new HeldLock(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed class HeldLock(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
                command.Parameters.AddWithValue("key", Key);
                await command.ExecuteNonQueryAsync();
            }
            finally
            {
                // Closing the session releases the lock too, should the unlock itself fail.
                await connection.DisposeAsync();
            }
        }
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
