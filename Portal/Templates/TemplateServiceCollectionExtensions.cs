using Microsoft.Extensions.Options;
using Portal.Core.Deployments;
using Portal.Core.Templates;
using Portal.Infrastructure.Aws;
using Portal.Infrastructure.Deployments;

namespace Portal.Templates;

public static class TemplateServiceCollectionExtensions
{
    /// <summary>The stack renderer over the embedded templates, with the account's settings (the <c>Stacks</c> section).</summary>
    public static IServiceCollection AddPortalTemplates(this IServiceCollection services)
    {
        services.AddSingleton(sp => StackSettings(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(_ => TemplateLibrary.LoadEmbedded());
        services.AddSingleton(sp => new StackRenderer(sp.GetRequiredService<TemplateLibrary>(), sp.GetRequiredService<PortalStackSettings>()));
        services.AddSingleton<IDeploymentStackSource>(sp => new RendererStackSource(sp.GetRequiredService<StackRenderer>(), sp.GetRequiredService<PortalStackSettings>(),
            sp.GetRequiredService<TemplateLibrary>(), sp.GetService<Infrastructure.Accounts.TargetAccountDirectory>()));
        services.AddHostedService<StackBucketsCheck>();
        return services;
    }

    /// <summary>
    /// The <c>Stacks</c> section. Bucket names left out become the example names, so that rendering and plan-only
    /// downloads work on a fresh machine; a live deployment needs the account's real buckets (<see cref="StackBucketsCheck"/>). Anything invalid stops
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

/// <summary>
/// Stops the start of a portal that would deploy into a real account (<c>AWS:Mode=Aws</c> with credentials) with the
/// example bucket names, naming the keys to set. The sandbox and plan-only mode keep the examples: nothing of theirs
/// reaches an account. Credentials found later are caught by the preflight's bucket check before any deployment.
/// </summary>
internal sealed class StackBucketsCheck(PortalStackSettings settings, AwsAccess access) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (access.Setting != AwsModeSetting.Aws)
        {
            return;
        }

        var status = await access.GetStatusAsync(cancellationToken);
        var buckets = PreflightRules.Buckets(settings, realAccount: status.Mode == AwsAccessMode.Live);
        if (buckets.Severity == PreflightSeverity.Failure)
        {
            throw new OptionsValidationException(PortalStackSettings.SectionName, typeof(PortalStackSettings), [buckets.Message]);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
