using Portal.Aws;
using Portal.Core.Accounts;
using Portal.Infrastructure.Aws;

namespace Portal.Sandbox;

/// <summary>
/// In sandbox mode a registered account is an account of the local cloud: its portal role is made, as the bootstrap
/// stack would make it, the first time the portal uses the account, trusting the external id registered then. A later
/// change of the external id on the Accounts page is then refused by STS, as AWS refuses it until the bootstrap
/// stack is updated. Outside sandbox mode it does nothing: a real account's administrator deploys the bootstrap stack.
/// </summary>
public sealed class SandboxAccountRoles(IServiceProvider services) : IAccountRoleProvisioner
{
    public void Ensure(TargetAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (!services.GetRequiredService<AwsModeChoice>().IsSandbox)
        {
            return;
        }

        var endpoint = services.GetRequiredService<SandboxCloud>().Endpoint;
        endpoint.Sts.AddRoleIfAbsent(account.RoleArn, account.ExternalId);

        // The account holds the sandbox's hosted zones too (same names and ids, which the request forms offer), so a
        // request may move its stacks there without a zone of its own; its records are the account's own.
        var own = endpoint.Account(account.AccountId).Route53;
        var held = own.Zones().Select(z => z.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var zone in endpoint.Route53.Zones().Where(z => !z.Private && !held.Contains(z.Id)))
        {
            own.AddZone(zone.Name.TrimEnd('.'), zone.Id);
        }
    }
}
