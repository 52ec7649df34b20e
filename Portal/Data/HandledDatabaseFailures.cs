using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Portal.Data;

/// <summary>
/// EF Core logs every failed save and command as an error with the exception's stack trace, before the caller has
/// seen it. Races the portal expects and handles (two replicas creating the same lease, a key or an identity row at
/// once; an optimistic concurrency conflict) then show as failures. These events go to Debug: the exception still
/// reaches the caller, and what nobody handles is logged where it surfaces (the request's or the worker's error log).
/// </summary>
public static class HandledDatabaseFailures
{
    public static DbContextOptionsBuilder LogFailuresAtDebug(this DbContextOptionsBuilder options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.ConfigureWarnings(w => w.Log(
            (CoreEventId.SaveChangesFailed, LogLevel.Debug),
            (CoreEventId.OptimisticConcurrencyException, LogLevel.Debug),
            (RelationalEventId.CommandError, LogLevel.Debug)));
    }
}
