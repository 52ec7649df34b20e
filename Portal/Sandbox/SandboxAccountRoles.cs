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
        if (services.GetRequiredService<AwsModeChoice>().IsSandbox)
        {
            services.GetRequiredService<SandboxCloud>().Endpoint.Sts.AddRoleIfAbsent(account.RoleArn, account.ExternalId);
        }
    }
}
