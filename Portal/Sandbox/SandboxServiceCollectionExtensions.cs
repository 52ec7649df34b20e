using Microsoft.Extensions.Options;
using Portal.Aws;
using Portal.Core.Health;
using Portal.Data;
using Portal.Infrastructure.Aws;
using Portal.Infrastructure.Dns;
using Portal.Infrastructure.Health;

namespace Portal.Sandbox;

public static class SandboxServiceCollectionExtensions
{
    /// <summary>
    /// The local cloud, for sandbox mode (<see cref="AwsModeChoice"/>): started on first use (the AWS settings ask for its
    /// address) and by its state saver at start, stopped with the portal.
    /// </summary>
    public static IServiceCollection AddPortalSandbox(this IServiceCollection services)
    {
        // In sandbox mode the AWS clients reach the local cloud, one endpoint for every service as AWS:ServiceURL would
        // be, with its key pair; otherwise what AddPortalAws reads from the AWS section. Registered after it, so these win.
        services.AddSingleton(sp =>
        {
            if (!sp.GetRequiredService<AwsModeChoice>().IsSandbox)
            {
                return AwsServiceCollectionExtensions.SettingsFromConfiguration(sp);
            }

            var region = sp.GetRequiredService<IConfiguration>().GetAWSOptions().Region?.SystemName ?? "us-east-1";
            return new AwsSettings { Region = region, ServiceUrl = sp.GetRequiredService<SandboxCloud>().Endpoint.ServiceUrl };
        });
        services.AddSingleton(sp =>
        {
            if (!sp.GetRequiredService<AwsModeChoice>().IsSandbox)
            {
                return AwsServiceCollectionExtensions.CredentialsFromConfiguration(sp);
            }

            var cloud = sp.GetRequiredService<SandboxCloud>();
            return (IAwsCredentialSource)new SdkCredentialSource(new Amazon.Runtime.BasicAWSCredentials(cloud.AccessKey, cloud.SecretKey), null);
        });
        services.AddOptions<SandboxOptions>()
            .BindConfiguration(SandboxOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => SandboxCloud.Start(
            sp.GetRequiredService<IOptions<SandboxOptions>>(),
            sp.GetRequiredService<IOptions<DatabaseOptions>>(),
            sp.GetRequiredService<IHostEnvironment>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SandboxCloud>>()));
        services.AddHostedService<SandboxStateSaver>();
        services.AddSingleton<IAccountRoleProvisioner>(sp => new SandboxAccountRoles(sp));
        services.AddSingleton(sp => sp.GetRequiredService<AwsModeChoice>().IsSandbox ? SandboxZones.Of(sp.GetRequiredService<SandboxCloud>()) : SandboxZones.None);
        services.AddSingleton(sp => sp.GetRequiredService<AwsModeChoice>().IsSandbox
            ? new SiteLinks(host => sp.GetRequiredService<SandboxCloud>().Edge.SiteUrl(host).ToString(), servedBySandbox: true)
            : SiteLinks.Public);
        services.AddSingleton(sp => sp.GetRequiredService<AwsModeChoice>().IsSandbox
            ? new OutboundRoutes(sp.GetRequiredService<SandboxCloud>().Routes)
            : OutboundRoutes.Direct);

        // The health checks look at what the sandbox serves: its DNS server, its edge (reached on loopback, which checks
        // otherwise refuse), and its CA. Only in sandbox mode; a real account's checks are left as configured.
        services.AddOptions<HealthOptions>().PostConfigure<IServiceProvider>((health, sp) =>
        {
            if (sp.GetRequiredService<AwsModeChoice>().IsSandbox)
            {
                var cloud = sp.GetRequiredService<SandboxCloud>();
                health.AllowedNetworks.Add("127.0.0.0/8");
                health.AllowedNetworks.Add("::1");
                health.AllowedNetworks.Add(SandboxCloud.EdgeAddressV6 + "/128");
                health.ExtraTrustedRootsFile = cloud.TrustedRootsFile(health.ExtraTrustedRootsFile);
            }
        });
        services.AddOptions<DnsOptions>().PostConfigure<IServiceProvider>((dns, sp) =>
        {
            if (sp.GetRequiredService<AwsModeChoice>().IsSandbox)
            {
                dns.Servers.Clear();
                dns.Servers.Add(sp.GetRequiredService<SandboxCloud>().Dns.EndPoint.ToString());
            }
        });
        return services;
    }
}
