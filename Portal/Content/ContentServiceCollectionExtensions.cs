using Microsoft.Extensions.Options;
using Portal.Core.Content;
using Portal.Infrastructure.Content;

namespace Portal.Content;

public static class ContentServiceCollectionExtensions
{
    /// <summary>Content publishing (the <c>Content</c> section: upload limits and staging folder), the S3 content store and the content queries.</summary>
    public static IServiceCollection AddPortalContent(this IServiceCollection services)
    {
        services.AddOptions<ContentOptions>().BindConfiguration(ContentOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ContentOptions>, ContentOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ContentOptions>>().Value);
        services.AddSingleton<IContentStore, S3ContentStore>();
        services.AddSingleton<ContentPublisher>();
        services.AddSingleton<ContentQueries>();

        return services;
    }

    private sealed class ContentOptionsValidator : IValidateOptions<ContentOptions>
    {
        public ValidateOptionsResult Validate(string? name, ContentOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
