using Portal.Core.Content;
using Portal.Infrastructure.Content;

namespace Portal.Content;

public static class ContentServiceCollectionExtensions
{
    /// <summary>Content publishing (the <c>Content</c> section: upload limits and staging folder), the S3 content store, the content queries and the sweep of the staging folder at start.</summary>
    public static IServiceCollection AddPortalContent(this IServiceCollection services)
    {
        services.AddOptions<ContentOptions>().BindConfiguration(ContentOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IContentStore, S3ContentStore>();
        services.AddSingleton<ContentPublisher>();
        services.AddSingleton<ContentQueries>();
        services.AddHostedService<StagingSweep>();

        return services;
    }
}
