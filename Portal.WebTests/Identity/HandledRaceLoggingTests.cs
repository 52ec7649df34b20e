using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Identity.BuiltIn;

namespace Portal.Tests.Identity;

/// <summary>
/// A race the identity code handles (two replicas inserting the same role or client) is not logged as an error with
/// a stack trace: the caller sees the exception and decides.
/// </summary>
public sealed class HandledRaceLoggingTests
{
    [Fact]
    public async Task A_losing_insert_in_the_identity_database_logs_no_error()
    {
        var logs = new CapturedLogs();
        await using var portal = new LivePortal(testServices: services => services.AddSingleton<ILoggerProvider>(logs));
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalIdentityDbContext>();
        db.Roles.Add(new IdentityRole("Requester") { NormalizedName = "REQUESTER" });

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        Assert.DoesNotContain(logs.Lines, l => l.Level >= LogLevel.Error && l.Category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
    }
}
