using Microsoft.Extensions.DependencyInjection.Extensions;
using Portal.Core.Approvals;
using Portal.Infrastructure.Requests;

namespace Portal.Requests;

public static class RequestServiceCollectionExtensions
{
    /// <summary>Requests and their workflow (the <c>Approval</c> settings: how recent a sign-in approving needs).</summary>
    public static IServiceCollection AddPortalRequests(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ApprovalOptions>()
            .BindConfiguration(ApprovalOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<RequestService>();
        services.AddSingleton<RequestQueries>();
        services.AddSingleton<Portal.Infrastructure.Deployments.RequestConflicts>();
        return services;
    }
}
