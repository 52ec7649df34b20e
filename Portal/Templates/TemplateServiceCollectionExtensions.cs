using Microsoft.Extensions.Options;
using Portal.Core.Templates;
using Portal.Infrastructure.Deployments;

namespace Portal.Templates;

public static class TemplateServiceCollectionExtensions
{
    /// <summary>The stack renderer over the embedded templates, with the account's settings (the <c>Stacks</c> section).</summary>
    public static IServiceCollection AddPortalTemplates(this IServiceCollection services)
    {
        services.AddSingleton(sp => StackSettings(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => new StackRenderer(TemplateLibrary.LoadEmbedded(), sp.GetRequiredService<PortalStackSettings>()));
        services.AddSingleton<IDeploymentStackSource>(sp => new RendererStackSource(sp.GetRequiredService<StackRenderer>(), sp.GetRequiredService<PortalStackSettings>()));
        return services;
    }

    /// <summary>
    /// The <c>Stacks</c> section. Bucket names left out become the example names, so that rendering and plan-only
    /// downloads work on a fresh machine; a live deployment needs the account's real buckets. Anything invalid stops
    /// the start with a message naming the key.
    /// </summary>
    internal static PortalStackSettings StackSettings(IConfiguration configuration)
    {
        var settings = configuration.GetSection(PortalStackSettings.SectionName).Get<PortalStackSettings>() ?? new PortalStackSettings();
        if (string.IsNullOrEmpty(settings.ContentBucketName))
        {
            settings = settings with { ContentBucketName = PortalStackSettings.Example.ContentBucketName };
        }

        if (string.IsNullOrEmpty(settings.LogBucketName))
        {
            settings = settings with { LogBucketName = PortalStackSettings.Example.LogBucketName };
        }

        var errors = settings.Validate();
        return errors.Count == 0
            ? settings
            : throw new OptionsValidationException(PortalStackSettings.SectionName, typeof(PortalStackSettings), errors.Select(e => $"{e.Field} {e.Message}"));
    }
}
