using Portal.Core.Accounts;
using Portal.Core.Identity;
using Portal.Core.Workflow;
using Portal.Identity.BuiltIn;
using Portal.Infrastructure.Accounts;

namespace Portal.Accounts;

/// <summary>
/// The one home of an admin's changes to target accounts, for the Accounts page and the API: checks the Admin role,
/// changes through <see cref="TargetAccountService"/> and writes a security event (who, what) for every change made.
/// </summary>
public sealed class TargetAccountAdministration(TargetAccountService accounts, ITargetAccountAudit audit)
{
    public const string Forbidden = "Only admins may register or change AWS accounts.";

    public Task<IReadOnlyList<TargetAccount>> ListAsync(CancellationToken ct = default) => accounts.ListAsync(ct);

    public async Task<TargetAccountResult> AddAsync(TargetAccountInput input, Actor admin, CancellationToken ct = default)
    {
        if (Refused(admin) is { } refused)
        {
            return refused;
        }

        var result = await accounts.AddAsync(input, admin.DisplayName, ct);
        if (result.Succeeded)
        {
            await audit.RecordAsync(SecurityEventKind.TargetAccountAdded, result.Account!.Name, result.Account.AccountId, Describe(result.Account), admin.Id);
        }

        return result;
    }

    public async Task<TargetAccountResult> UpdateAsync(string name, TargetAccountInput input, Actor admin, CancellationToken ct = default)
    {
        if (Refused(admin) is { } refused)
        {
            return refused;
        }

        var before = await accounts.GetAsync(name, ct);
        var result = await accounts.UpdateAsync(name, input, admin.DisplayName, ct);
        if (result.Succeeded)
        {
            var detail = before is null ? Describe(result.Account!) : $"{Describe(before)} -> {Describe(result.Account!)}";
            await audit.RecordAsync(SecurityEventKind.TargetAccountChanged, name, result.Account!.AccountId, detail, admin.Id);
        }

        return result;
    }

    public async Task<TargetAccountResult> RemoveAsync(string name, Actor admin, CancellationToken ct = default)
    {
        if (Refused(admin) is { } refused)
        {
            return refused;
        }

        var result = await accounts.RemoveAsync(name, ct);
        if (result.Succeeded)
        {
            await audit.RecordAsync(SecurityEventKind.TargetAccountRemoved, name, result.Account!.AccountId, Describe(result.Account), admin.Id);
        }

        return result;
    }

    /// <summary>What an account is, for the audit entry; the external id is named by its length only.</summary>
    private static string Describe(TargetAccount account) =>
        $"account {account.AccountId}, region {account.Region}, role {account.RoleArn}, external id of {account.ExternalId.Length} characters";

    private static TargetAccountResult? Refused(Actor admin)
    {
        ArgumentNullException.ThrowIfNull(admin);
        return admin.Roles.Contains(PortalRole.Admin) ? null : new TargetAccountResult(null, [new("name", Forbidden)]) { Forbidden = true };
    }
}

/// <summary>Where an admin's account changes are recorded: the security events (<see cref="SecurityAudit"/>) in the portal.</summary>
public interface ITargetAccountAudit
{
    Task RecordAsync(SecurityEventKind kind, string name, string accountId, string detail, string adminId);
}

/// <summary>Account changes as security events: a log line and a row admins read on the Security events page.</summary>
public sealed class SecurityAuditOfAccounts(SecurityAudit audit) : ITargetAccountAudit
{
    public Task RecordAsync(SecurityEventKind kind, string name, string accountId, string detail, string adminId) =>
        audit.RecordAsync(kind, name, accountId, detail, adminId);
}
