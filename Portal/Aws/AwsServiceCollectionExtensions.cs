using Amazon;
using Amazon.S3;
using Portal.Core.Observability;
using Portal.Core.Templates;
using Portal.Infrastructure.Aws;
using Portal.Infrastructure.Aws.CloudFormation;
using Portal.Infrastructure.Aws.CloudFront;
using Portal.Infrastructure.Aws.Route53;
using Portal.Infrastructure.Aws.ServiceQuotas;

namespace Portal.Aws;

public static class AwsServiceCollectionExtensions
{
    public const string HttpClientName = "aws";

    /// <summary>
    /// AWS access (the <c>AWS</c> section through AWSSDK.Extensions.NETCore.Setup: Profile, Region, ServiceURL): the
    /// portal's own CloudFormation, Route53 and CloudFront clients over one signing pipeline, and S3 through AWSSDK.S3.
    /// </summary>
    public static IServiceCollection AddPortalAws(this IServiceCollection services)
    {
        services.AddSingleton(sp => AwsModeChoice.From(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>()));
        services.AddSingleton(SettingsFromConfiguration);
        services.AddSingleton(CredentialsFromConfiguration);
        services.AddHttpClient(HttpClientName);

        // Every client signs through the account of the flow it runs in: the portal's own credentials, or a registered
        // account's assumed role (STS asked with the portal's own credentials, each session kept until shortly before it ends).
        services.AddSingleton<AwsAccountContext>();
        services.AddSingleton(sp =>
        {
            var own = sp.GetRequiredService<IAwsCredentialSource>();
            var clock = sp.GetRequiredService<TimeProvider>();
            var sts = new AwsHttpPipeline(sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName), own,
                sp.GetRequiredService<AwsSettings>(), clock, sp.GetRequiredService<ILogger<AwsHttpPipeline>>(), sp.GetService<PortalMetrics>());
            var provisioner = sp.GetService<IAccountRoleProvisioner>();
            return new AccountCredentialSource(own, sp.GetRequiredService<AwsAccountContext>(), account =>
            {
                provisioner?.Ensure(account);
                return new AssumedRoleCredentialSource(sts, account, clock);
            });
        });
        services.AddSingleton(sp => new AwsHttpPipeline(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<AccountCredentialSource>(),
            sp.GetRequiredService<AwsSettings>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AwsHttpPipeline>>(),
            sp.GetService<PortalMetrics>()));
        services.AddSingleton<ICloudFormationClient, CloudFormationClient>();
        services.AddSingleton<IRoute53Client, Route53Client>();
        services.AddSingleton<ICloudFrontClient, CloudFrontClient>();
        services.AddSingleton<IServiceQuotasClient, ServiceQuotasClient>();
        services.AddSingleton<IAmazonS3>(sp =>
        {
            var settings = sp.GetRequiredService<AwsSettings>();
            // Content lives in each site environment's own bucket, made by its site stack in CloudFront's region.
            var region = StackRenderer.CloudFrontRegion;
            var config = new AmazonS3Config { RegionEndpoint = RegionEndpoint.GetBySystemName(region), MaxErrorRetry = settings.MaxAttempts - 1 };
            if (settings.ServiceUrl is not null)
            {
                config.ServiceURL = settings.ServiceUrl.ToString();
                config.ForcePathStyle = true;
                config.AuthenticationRegion = region;
            }

            return new AmazonS3Client(new CredentialSourceAdapter(sp.GetRequiredService<AccountCredentialSource>()), config);
        });
        services.AddSingleton(sp => new AwsAccess(sp.GetRequiredService<IAwsCredentialSource>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<AwsModeChoice>().Setting));
        services.AddHostedService<AwsModeAnnouncement>();
        return services;
    }

    /// <summary>A real account's settings: the <c>AWS</c> section (sandbox mode replaces them with its local cloud's).</summary>
    public static AwsSettings SettingsFromConfiguration(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var aws = configuration.GetAWSOptions();
        const string RoleKey = "AWS:CloudFormationRoleArn";
        var role = configuration[RoleKey];
        if (AwsSettings.RoleArnProblem(RoleKey, role) is { } problem)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException("AWS", typeof(AwsSettings), [problem]);
        }

        return new AwsSettings
        {
            Region = aws.Region?.SystemName ?? "us-east-1",
            Profile = aws.Profile,
            ServiceUrl = string.IsNullOrWhiteSpace(aws.DefaultClientConfig.ServiceURL) ? null : new Uri(aws.DefaultClientConfig.ServiceURL),
            CloudFormationRoleArn = string.IsNullOrEmpty(role) ? null : role,
        };
    }

    /// <summary>A real account's credentials: the SDK's chain, or the configured profile.</summary>
    public static IAwsCredentialSource CredentialsFromConfiguration(IServiceProvider services)
    {
        var aws = services.GetRequiredService<IConfiguration>().GetAWSOptions();
        return new SdkCredentialSource(aws.Credentials, aws.Profile, aws.ProfilesLocation);
    }
}
