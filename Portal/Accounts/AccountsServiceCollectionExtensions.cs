using Portal.Infrastructure.Accounts;

namespace Portal.Accounts;

public static class AccountsServiceCollectionExtensions
{
    /// <summary>The registered AWS accounts: their table's snapshot for the renderer and engine, and the admin's changes (audited).</summary>
    public static IServiceCollection AddPortalAccounts(this IServiceCollection services)
    {
        services.AddSingleton<TargetAccountDirectory>();
        services.AddSingleton<TargetAccountService>();
        services.AddScoped<ITargetAccountAudit, SecurityAuditOfAccounts>();
        services.AddScoped<TargetAccountAdministration>();
        return services;
    }
}
