using Portal.Core.Deployments;
using Portal.Infrastructure.Deployments;
using Portal.Infrastructure.Persistence;

namespace Portal.Deployments;

public static class DeploymentServiceCollectionExtensions
{
    /// <summary>
    /// The deployment engine, its tracking and queries, the promotion preview, the preflight, and the background worker that runs it
    /// once across replicas (the <c>Deployments</c> section).
    /// </summary>
    public static IServiceCollection AddPortalDeployments(this IServiceCollection services)
    {
        services.AddOptions<DeploymentOptions>().BindConfiguration(DeploymentOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DeploymentStatusFeed>();
        services.AddSingleton<StackEventStore>();
        services.AddSingleton<StackDeployer>();
        services.AddSingleton<StackTracker>();
        services.AddSingleton<DriftQueries>();
        services.AddSingleton<DriftService>();
        services.AddSingleton<WorkLeases>();
        services.AddSingleton<HostedZoneLookup>();
        services.AddSingleton<DeploymentPreflight>();
        services.AddSingleton<IDeploymentPreflight>(sp => sp.GetRequiredService<DeploymentPreflight>());
        services.AddSingleton<DeploymentQueries>();
        services.AddSingleton<ExternalDnsService>();
        services.AddSingleton<PromotionPreview>();
        services.AddSingleton<TemplateUpgradeBatches>();
        services.AddSingleton<DeploymentEngine>();
        services.AddSingleton<Portal.Infrastructure.Requests.IProductionPlanRequirement, ProductionPlanRequirement>();
        services.AddHostedService<DeploymentWorker>();
        services.AddHostedService<PostgresDeploymentFeedRelay>();
        return services;
    }
}
