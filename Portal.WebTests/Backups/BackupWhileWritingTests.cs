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
/// <c>backup</c> taken while the portal keeps saving requests, then <c>restore</c> into a new data folder: the portal
/// started on it shows the requests and audit trail of one moment (every request with its whole trail, none half
/// written, all saved before the backup began), and accepts the session and the password and code of a person who
/// signed in before the backup, since the Data Protection keys and the sessions came with it.
/// </summary>
public sealed class BackupWhileWritingTests
{
    private const string Email = "bea@example.test";
    private const string Password = "beas own password";

    [Fact]
    public async Task A_backup_taken_while_the_portal_writes_restores_the_same_requests_audit_trail_and_sign_in()
    {
        using var folders = new TemporaryFolder("portal-backup-test-");
        var archive = Path.Combine(folders.Path, "portal-backup.zip");
        var restoredData = Path.Combine(folders.Path, "restored");
        var port = LivePortal.FreePort();
        string session;
        string authenticatorKey;
        HashSet<Guid> savedBefore = [];
        Dictionary<Guid, List<string>> originalTrails;
        int writtenDuringBackup;

        await using (var original = new LivePortal(port: port))
        {
            authenticatorKey = await HttpBrowser.EnrolledUserAsync(original, Email, Password, PortalRole.Requester);
            using (var browser = new HttpBrowser(original))
            {
                await browser.SignInAsync(Email, Password, Authenticator.Code(authenticatorKey));
                session = browser.Cookie(".portal.session")!;
            }

            var requests = original.Services.GetRequiredService<RequestService>();
            for (var i = 0; i < 5; i++)
            {
                savedBefore.Add(await SaveAsync(requests, $"before-{i}"));
            }

            // A writer that keeps saving new requests (each a request, a revision and audit events in one transaction) until the backup is done.
            using var stop = new CancellationTokenSource();
            var firstWrite = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var writer = Task.Run(async () =>
            {
                var written = 0;
                while (!stop.IsCancellationRequested)
                {
                    await SaveAsync(requests, $"during-{written}");
                    written++;
                    firstWrite.TrySetResult();
                }

                return written;
            });
            await firstWrite.Task;

            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var exit = await BackupCommand.RunAsync(["backup", archive], stdout, stderr, new Dictionary<string, string?> { ["Database:DataDirectory"] = original.DataDirectory });
            await stop.CancelAsync();
            writtenDuringBackup = await writer;
            Assert.True(exit == 0, stderr.ToString());
            Assert.Contains("Backed up the portal's Sqlite database", stdout.ToString(), StringComparison.Ordinal);
            originalTrails = await TrailsAsync(original);
        }

        using (var stdout = new StringWriter())
        using (var stderr = new StringWriter())
        {
            var exit = await BackupCommand.RunAsync(["restore", archive], stdout, stderr, new Dictionary<string, string?> { ["Database:DataDirectory"] = restoredData });
            Assert.True(exit == 0, stderr.ToString());
        }

        await using var restored = new LivePortal(port: port, dataDirectory: restoredData);
        var restoredTrails = await TrailsAsync(restored);

        Assert.True(writtenDuringBackup > 0);
        Assert.Superset(savedBefore, restoredTrails.Keys.ToHashSet());
        Assert.All(restoredTrails, r => Assert.Equal(originalTrails[r.Key], r.Value));
        Assert.All(restoredTrails.Values, trail => Assert.Equal(["Create"], trail.Select(e => e.Split(' ')[1])));

        Assert.Equal(HttpStatusCode.OK, (await WithSessionAsync(restored, session)).StatusCode);
        using var again = new HttpBrowser(restored);
        await again.SignInAsync(Email, Password, Authenticator.Code(authenticatorKey, DateTime.UtcNow.AddSeconds(30)));
        Assert.Equal(HttpStatusCode.OK, (await WithSessionAsync(restored, again.Cookie(".portal.session")!)).StatusCode);
    }

    [Fact]
    public async Task A_restore_into_a_folder_that_holds_anything_is_refused_and_the_folder_is_left_as_it_was()
    {
        using var folders = new TemporaryFolder("portal-restore-refused-");
        var archive = Path.Combine(folders.Path, "portal-backup.zip");
        await using (var original = new LivePortal())
        {
            await SaveAsync(original.Services.GetRequiredService<RequestService>(), "kept");
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            Assert.True(await BackupCommand.RunAsync(["backup", archive], stdout, stderr, new Dictionary<string, string?> { ["Database:DataDirectory"] = original.DataDirectory }) == 0, stderr.ToString());
        }

        var occupied = Directory.CreateDirectory(Path.Combine(folders.Path, "occupied")).FullName;
        await File.WriteAllTextAsync(Path.Combine(occupied, "notes.txt"), "an operator's file");

        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await BackupCommand.RunAsync(["restore", archive], output, errors, new Dictionary<string, string?> { ["Database:DataDirectory"] = occupied });

        Assert.Equal(1, exit);
        Assert.Equal(
            $"restore: Not restored: the data folder {occupied} is not empty (it holds notes.txt). Restore into an empty folder, so nothing there is overwritten, and point Database:DataDirectory at it.",
            errors.ToString().Trim());
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(occupied).Select(Path.GetFileName));
    }

    private static async Task<Guid> SaveAsync(RequestService requests, string name)
    {
        var result = await requests.SaveAsync(new SaveRequestCommand(null, null, TestSpecs.Site($"{name}.example.com"), Submit: false), TestActors.Rita);
        Assert.True(result.Succeeded, result.Message);
        return result.RequestId;
    }

    /// <summary>Each request's audit trail, one line per event in order: sequence, action, actor, state reached.</summary>
    private static async Task<Dictionary<Guid, List<string>>> TrailsAsync(LivePortal portal)
    {
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var requests = await db.Requests.AsNoTracking().Select(r => r.Id).ToListAsync();
        var events = await db.AuditEvents.AsNoTracking().ToListAsync();
        return requests.ToDictionary(
            id => id,
            id => events.Where(e => e.RequestId == id).OrderBy(e => e.Sequence).Select(e => $"{e.Sequence} {e.Action} {e.ActorId} {e.ToState}").ToList());
    }

    private static async Task<HttpResponseMessage> WithSessionAsync(LivePortal portal, string session)
    {
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = portal.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/requests");
        request.Headers.Add("Cookie", $".portal.session={session}");
        return await client.SendAsync(request);
    }
}
