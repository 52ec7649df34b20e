using System.Collections.Immutable;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Accounts;
using Portal.Infrastructure.Persistence;

namespace Portal.Infrastructure.Accounts;

/// <summary>
/// The registered accounts as the renderer and the engine read them many times a pass: a snapshot of the table,
/// replaced after every change made here and reread by the engine each pass (so a change made on another replica
/// arrives too).
/// </summary>
public sealed class TargetAccountDirectory(IDbContextFactory<PortalDbContext> dbFactory)
{
    private ImmutableDictionary<string, TargetAccount> _accounts = ImmutableDictionary<string, TargetAccount>.Empty.WithComparers(StringComparer.Ordinal);
    private bool _loaded;

    public IReadOnlyList<TargetAccount> All
    {
        get
        {
            EnsureLoaded();
            return [.. _accounts.Values.OrderBy(a => a.Name, StringComparer.Ordinal)];
        }
    }

    /// <summary>The account a request names; null for the default account or a name no longer registered.</summary>
    public TargetAccount? Find(string? name)
    {
        if (TargetAccount.IsDefault(name))
        {
            return null;
        }

        EnsureLoaded();
        return _accounts.GetValueOrDefault(name!);
    }

    /// <summary>Whether a request may name this account: the default one, or one registered.</summary>
    public bool Exists(string? name) => TargetAccount.IsDefault(name) || Find(name) is not null;

    public async Task RefreshAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.TargetAccounts.AsNoTracking().ToListAsync(ct);
        _accounts = rows.ToImmutableDictionary(a => a.Name, StringComparer.Ordinal);
        _loaded = true;
    }

    private void EnsureLoaded()
    {
        if (!_loaded)
        {
            // The first reader (a page or the renderer) loads the table once; later changes replace the snapshot.
            RefreshAsync().GetAwaiter().GetResult();
        }
    }
}
