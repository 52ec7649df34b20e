using Microsoft.EntityFrameworkCore;
using Portal.Core.Accounts;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Infrastructure.Persistence;

namespace Portal.Infrastructure.Accounts;

/// <summary>The outcome of an admin's change: the account as saved, or why nothing was saved.</summary>
public sealed record TargetAccountResult(TargetAccount? Account, IReadOnlyList<FieldError> Errors, bool NotFound = false)
{
    public bool Succeeded => Account is not null && Errors.Count == 0;

    /// <summary>The person may not change accounts at all.</summary>
    public bool Forbidden { get; init; }

    public static TargetAccountResult Missing(string name) => new(null, [new("name", $"No account named '{name}' is registered.")], NotFound: true);
}

/// <summary>
/// Registering, changing and removing target accounts. Only the web app's admin surfaces call it (they check the
/// Admin role and write the audit entry); the rules are <see cref="TargetAccountRules"/> plus the stack settings the
/// account's name and region produce.
/// </summary>
public sealed class TargetAccountService(IDbContextFactory<PortalDbContext> dbFactory, TargetAccountDirectory directory, PortalStackSettings stacks, TimeProvider clock)
{
    public async Task<IReadOnlyList<TargetAccount>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.TargetAccounts.AsNoTracking().OrderBy(a => a.Name).ToListAsync(ct);
    }

    public async Task<TargetAccount?> GetAsync(string name, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.TargetAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.Name == name, ct);
    }

    public async Task<TargetAccountResult> AddAsync(TargetAccountInput input, string actorName, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actorName);
        var errors = Check(input);
        if (errors.Count > 0)
        {
            return new(null, errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var name = input.Name.Trim();
        if (await db.TargetAccounts.AnyAsync(a => a.Name == name, ct))
        {
            return new(null, [new("name", $"An account named '{name}' is already registered.")]);
        }

        var accountId = input.AccountId.Trim();
        if (await db.TargetAccounts.AnyAsync(a => a.AccountId == accountId, ct))
        {
            return new(null, [new("accountId", $"Account {accountId} is already registered under another name.")]);
        }

        var now = clock.GetUtcNow();
        var account = new TargetAccount { Name = name, CreatedAt = now };
        Fill(account, input, actorName, now);
        db.TargetAccounts.Add(account);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            return new(null, [new("name", $"An account named '{name}' or with id {accountId} was registered at the same moment.")]);
        }

        await directory.RefreshAsync(ct);
        return new(account, []);
    }

    /// <summary>Changes an account's id, region, role or external id; its name stays, since requests refer to it.</summary>
    public async Task<TargetAccountResult> UpdateAsync(string name, TargetAccountInput input, string actorName, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actorName);
        var errors = Check(input with { Name = name });
        if (errors.Count > 0)
        {
            return new(null, errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var account = await db.TargetAccounts.SingleOrDefaultAsync(a => a.Name == name, ct);
        if (account is null)
        {
            return TargetAccountResult.Missing(name);
        }

        var accountId = input.AccountId.Trim();
        if (await db.TargetAccounts.AnyAsync(a => a.AccountId == accountId && a.Name != name, ct))
        {
            return new(null, [new("accountId", $"Account {accountId} is already registered under another name.")]);
        }

        Fill(account, input, actorName, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        await directory.RefreshAsync(ct);
        return new(account, []);
    }

    /// <summary>Removes an account no active request uses; one that still holds stacks must keep its credentials.</summary>
    public async Task<TargetAccountResult> RemoveAsync(string name, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var account = await db.TargetAccounts.SingleOrDefaultAsync(a => a.Name == name, ct);
        if (account is null)
        {
            return TargetAccountResult.Missing(name);
        }

        var users = await RequestsUsingAsync(db, name, ct);
        if (users > 0)
        {
            return new(null, [new("name", $"{users} request(s) still deploy into '{name}'; decommission or withdraw them before removing the account.")]);
        }

        db.TargetAccounts.Remove(account);
        await db.SaveChangesAsync(ct);
        await directory.RefreshAsync(ct);
        return new(account, []);
    }

    private static async Task<int> RequestsUsingAsync(PortalDbContext db, string name, CancellationToken ct)
    {
        var marker = $"\"account\":\"{name}\"";
        return await db.Requests.AsNoTracking()
            .Where(r => r.State != RequestState.Withdrawn && r.State != RequestState.Decommissioned)
            .Where(r => db.Revisions.Any(v => v.RequestId == r.Id && v.SpecJson.Contains(marker)))
            .CountAsync(ct);
    }

    private List<FieldError> Check(TargetAccountInput input)
    {
        var errors = TargetAccountRules.Validate(input).ToList();
        if (errors.Count == 0)
        {
            // The account's own stack prefix and bucket names must be valid names too (the prefix has a length limit).
            var probe = new TargetAccount { Name = input.Name.Trim(), Region = input.Region.Trim() };
            errors.AddRange(stacks.ForAccount(probe).Validate()
                .Where(e => e.Field.EndsWith(nameof(PortalStackSettings.StackNamePrefix), StringComparison.Ordinal)
                    || e.Field.EndsWith("BucketName", StringComparison.Ordinal))
                .Select(e => new FieldError("name", $"The name gives the account's stacks and buckets names that do not work ({e.Field} {e.Message}); choose a shorter name.")));
        }

        return errors;
    }

    private static void Fill(TargetAccount account, TargetAccountInput input, string actorName, DateTimeOffset now)
    {
        account.AccountId = input.AccountId.Trim();
        account.Region = input.Region.Trim();
        account.RoleArn = input.RoleArn.Trim();
        account.ExternalId = input.ExternalId.Trim();
        account.UpdatedAt = now;
        account.UpdatedBy = actorName.Length > 200 ? actorName[..200] : actorName;
    }
}
