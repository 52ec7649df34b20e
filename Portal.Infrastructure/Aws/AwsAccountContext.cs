using System.Collections.Concurrent;
using Portal.Core.Accounts;

namespace Portal.Infrastructure.Aws;

/// <summary>
/// Which account the AWS calls of the current flow go to. The engine, the tracker and the content store enter an
/// account (<see cref="Use"/>) around the calls for one stack or request; every client signs through
/// <see cref="AccountCredentialSource"/>, which reads it. Outside any scope calls go to the default account.
/// </summary>
public sealed class AwsAccountContext
{
    private readonly AsyncLocal<TargetAccount?> _current = new();

    /// <summary>The account of the current flow; null is the default account.</summary>
    public TargetAccount? Current => _current.Value;

    public IDisposable Use(TargetAccount? account)
    {
        var before = _current.Value;
        _current.Value = account is null || TargetAccount.IsDefault(account.Name) ? null : account;
        return new Restore(this, before);
    }

    private sealed class Restore(AwsAccountContext context, TargetAccount? before) : IDisposable
    {
        public void Dispose() => context._current.Value = before;
    }
}

/// <summary>
/// The credentials every portal client signs with: the portal's own (the default account), or, inside an
/// <see cref="AwsAccountContext"/> scope, the assumed role of that account, one cached session per account.
/// </summary>
public sealed class AccountCredentialSource(IAwsCredentialSource own, AwsAccountContext context, Func<TargetAccount, AssumedRoleCredentialSource> assume) : IAwsCredentialSource, IDisposable
{
    private readonly ConcurrentDictionary<(string Name, string RoleArn, string ExternalId, string Region), AssumedRoleCredentialSource> _sessions = new();

    public Task<AwsCredentialResult> ResolveAsync(CancellationToken ct = default) =>
        context.Current is { } account ? For(account).ResolveAsync(ct) : own.ResolveAsync(ct);

    /// <summary>The session source of an account; a changed role or external id starts a new one.</summary>
    public AssumedRoleCredentialSource For(TargetAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return _sessions.GetOrAdd((account.Name, account.RoleArn, account.ExternalId, account.Region), _ => assume(account));
    }

    public void Dispose()
    {
        foreach (var session in _sessions.Values)
        {
            session.Dispose();
        }
    }
}

/// <summary>
/// Makes an account's portal role exist before the portal first assumes it. Only the sandbox has one: its local cloud
/// plays the administrator who deployed the bootstrap stack in the account with the external id registered here.
/// </summary>
public interface IAccountRoleProvisioner
{
    void Ensure(TargetAccount account);
}
