using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Cli;
using Portal.Core.Workflow;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Requests;
using Portal.Tests.Identity;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Backups;

/// <summary>
/// On PostgreSQL, <c>backup</c> (pg_dump, custom format) taken while the portal saves requests and <c>restore</c>
/// (pg_restore) into a new empty database give a portal with the same requests, audit trail and sessions; a restore
/// into a database that has tables is refused and leaves it as it was.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresBackupTests(PostgresServer postgres)
{
    private const string Email = "pia@example.test";
    private const string Password = "pias own password";

    [Fact]
    public async Task A_backup_taken_while_the_portal_writes_restores_into_an_empty_database_with_the_same_requests_and_sessions()
    {
        using var folder = new TemporaryFolder("portal-pg-backup-");
        var archive = Path.Combine(folder.Path, "portal-backup.zip");
        var source = await postgres.CreateDatabaseAsync();
        var target = await postgres.CreateDatabaseAsync();
        var port = LivePortal.FreePort();
        HashSet<Guid> savedBefore = [];
        Dictionary<Guid, List<string>> originalTrails;
        string session;

        await using (var original = new LivePortal(Postgres(source), port: port))
        {
            var key = await HttpBrowser.EnrolledUserAsync(original, Email, Password, PortalRole.Requester);
            using (var browser = new HttpBrowser(original))
            {
                await browser.SignInAsync(Email, Password, Authenticator.Code(key));
                session = browser.Cookie(".portal.session")!;
            }

            var requests = original.Services.GetRequiredService<RequestService>();
            for (var i = 0; i < 3; i++)
            {
                savedBefore.Add(await SaveAsync(requests, $"pg-before-{i}"));
            }

            using var stop = new CancellationTokenSource();
            var firstWrite = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var writer = Task.Run(async () =>
            {
                var written = 0;
                while (!stop.IsCancellationRequested)
                {
                    await SaveAsync(requests, $"pg-during-{written++}");
                    firstWrite.TrySetResult();
                }

                return written;
            });
            await firstWrite.Task;
            var (exit, output) = await RunAsync(["backup", archive], source);
            await stop.CancelAsync();
            Assert.True(await writer > 0);
            Assert.True(exit == 0, output);
            originalTrails = await TrailsAsync(original);
        }

        var restore = await RunAsync(["restore", archive], target);
        Assert.True(restore.Exit == 0, restore.Output);

        await using var restored = new LivePortal(Postgres(target), port: port);
        var restoredTrails = await TrailsAsync(restored);
        Assert.Superset(savedBefore, restoredTrails.Keys.ToHashSet());
        Assert.All(restoredTrails, r => Assert.Equal(originalTrails[r.Key], r.Value));
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = restored.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/requests");
        request.Headers.Add("Cookie", $".portal.session={session}");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task A_restore_into_a_database_with_tables_is_refused()
    {
        using var folder = new TemporaryFolder("portal-pg-restore-refused-");
        var archive = Path.Combine(folder.Path, "portal-backup.zip");
        var source = await postgres.CreateDatabaseAsync();
        await using (var original = new LivePortal(Postgres(source)))
        {
            await SaveAsync(original.Services.GetRequiredService<RequestService>(), "pg-kept");
        }

        Assert.Equal(0, (await RunAsync(["backup", archive], source)).Exit);

        var (exit, output) = await RunAsync(["restore", archive], source);

        Assert.Equal(1, exit);
        Assert.Contains("Not restored: the database ", output, StringComparison.Ordinal);
        Assert.Contains(" is not empty (it has tables such as ", output, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Postgres(string connection) => new()
    {
        ["Database:Provider"] = "Postgres",
        ["Database:ConnectionString"] = connection,
    };

    private static async Task<(int Exit, string Output)> RunAsync(string[] args, string connection)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await BackupCommand.RunAsync(args, stdout, stderr, Postgres(connection));
        return (exit, stdout + stderr.ToString());
    }

    private static async Task<Guid> SaveAsync(RequestService requests, string name)
    {
        var result = await requests.SaveAsync(new SaveRequestCommand(null, null, TestSpecs.Site($"{name}.example.com"), Submit: false), TestActors.Rita);
        Assert.True(result.Succeeded, result.Message);
        return result.RequestId;
    }

    private static async Task<Dictionary<Guid, List<string>>> TrailsAsync(LivePortal portal)
    {
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var requests = await db.Requests.AsNoTracking().Select(r => r.Id).ToListAsync();
        var events = await db.AuditEvents.AsNoTracking().ToListAsync();
        return requests.ToDictionary(
            id => id,
            id => events.Where(e => e.RequestId == id).OrderBy(e => e.Sequence).Select(e => $"{e.Sequence} {e.Action} {e.ActorId} {e.ToState}").ToList());
    }
}
