using Microsoft.AspNetCore.Authentication;
using Portal.Infrastructure.Teams;

namespace Portal.Teams;

public static class TeamsServiceCollectionExtensions
{
    /// <summary>Teams, per-team approvers and allowed hosted zones: the admin service and the claims they add to a person.</summary>
    public static IServiceCollection AddPortalTeams(this IServiceCollection services)
    {
        services.AddSingleton<TeamAdministration>();
        services.AddTransient<IClaimsTransformation, TeamClaimsTransformation>();
        return services;
    }
}
