using Amazon;
using Amazon.S3;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Aws;
using Portal.Infrastructure.Aws.CloudFormation;
using Portal.Infrastructure.Aws.CloudFront;
using Portal.Infrastructure.Aws.Route53;
using Portal.Core.Content;
using Portal.Infrastructure.Content;
using Portal.Core.Deployments;
using Portal.Infrastructure.Deployments;
using Portal.Core.Observability;
using Portal.Core.Templates;

namespace Portal.Deployments;

public static class AwsServiceCollectionExtensions
{
    public const string HttpClientName = "aws";

    /// <summary>
    /// AWS access (the <c>AWS</c> section through AWSSDK.Extensions.NETCore.Setup: Profile, Region, ServiceURL), the
    /// portal's CloudFormation, Route53 and CloudFront clients, S3 through AWSSDK.S3, the stack renderer (the
    /// <c>Stacks</c> section), the deployment engine and its background worker (the <c>Deployments</c> section).
    /// </summary>
    public static IServiceCollection AddPortalAws(this IServiceCollection services)
    {
        services.AddOptions<DeploymentOptions>().BindConfiguration(DeploymentOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DeploymentOptions>, DeploymentOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DeploymentOptions>>().Value);
        services.AddSingleton(sp => StackSettings(sp.GetRequiredService<IConfiguration>()));

        services.AddSingleton(sp =>
        {
            var aws = sp.GetRequiredService<IConfiguration>().GetAWSOptions();
            return new AwsSettings
            {
                Region = aws.Region?.SystemName ?? "us-east-1",
                Profile = aws.Profile,
                ServiceUrl = string.IsNullOrWhiteSpace(aws.DefaultClientConfig.ServiceURL) ? null : new Uri(aws.DefaultClientConfig.ServiceURL),
            };
        });
        services.AddSingleton<IAwsCredentialSource>(sp =>
        {
            var aws = sp.GetRequiredService<IConfiguration>().GetAWSOptions();
            return new SdkCredentialSource(aws.Credentials, aws.Profile, aws.ProfilesLocation);
        });
        services.AddHttpClient(HttpClientName);
        services.AddSingleton(sp => new AwsHttpPipeline(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<IAwsCredentialSource>(),
            sp.GetRequiredService<AwsSettings>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AwsHttpPipeline>>(),
            sp.GetService<PortalMetrics>()));
        services.AddSingleton<ICloudFormationClient, CloudFormationClient>();
        services.AddSingleton<IRoute53Client, Route53Client>();
        services.AddSingleton<ICloudFrontClient, CloudFrontClient>();
        services.AddSingleton<IAmazonS3>(sp =>
        {
            var settings = sp.GetRequiredService<AwsSettings>();
            var region = sp.GetRequiredService<PortalStackSettings>().SharedRegion;
            var config = new AmazonS3Config { RegionEndpoint = RegionEndpoint.GetBySystemName(region), MaxErrorRetry = settings.MaxAttempts - 1 };
            if (settings.ServiceUrl is not null)
            {
                config.ServiceURL = settings.ServiceUrl.ToString();
                config.ForcePathStyle = true;
                config.AuthenticationRegion = region;
            }

            return new AmazonS3Client(new CredentialSourceAdapter(sp.GetRequiredService<IAwsCredentialSource>()), config);
        });
        services.AddSingleton<IContentStore, S3ContentStore>();
        services.AddSingleton<AwsAccess>();

        services.AddSingleton(sp => new StackRenderer(TemplateLibrary.LoadEmbedded(), sp.GetRequiredService<PortalStackSettings>()));
        services.AddSingleton<IDeploymentStackSource>(sp => new RendererStackSource(sp.GetRequiredService<StackRenderer>(), sp.GetRequiredService<PortalStackSettings>()));
        services.AddSingleton<DeploymentStatusFeed>();
        services.AddSingleton<StackEventStore>();
        services.AddSingleton<StackDeployer>();
        services.AddSingleton<StackTracker>();
        services.AddSingleton<WorkLeases>();
        services.AddSingleton<HostedZoneLookup>();
        services.AddSingleton<DeploymentQueries>();
        services.AddSingleton<PromotionPreview>();
        services.AddSingleton<DeploymentEngine>();
        services.AddHostedService<DeploymentWorker>();
        services.AddHostedService<PostgresDeploymentFeedRelay>();
        return services;
    }

    private sealed class DeploymentOptionsValidator : IValidateOptions<DeploymentOptions>
    {
        public ValidateOptionsResult Validate(string? name, DeploymentOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
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
