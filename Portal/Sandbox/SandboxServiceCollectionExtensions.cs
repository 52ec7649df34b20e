using Microsoft.Extensions.Options;
using Portal.Aws;
using Portal.Data;

namespace Portal.Sandbox;

public static class SandboxServiceCollectionExtensions
{
    /// <summary>
    /// The local cloud, for sandbox mode (<see cref="AwsModeChoice"/>): started on first use (the AWS settings ask for its
    /// address) and by its state saver at start, stopped with the portal.
    /// </summary>
    public static IServiceCollection AddPortalSandbox(this IServiceCollection services)
    {
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
        services.AddSingleton(sp => sp.GetRequiredService<AwsModeChoice>().IsSandbox ? SandboxZones.Of(sp.GetRequiredService<SandboxCloud>()) : SandboxZones.None);
        services.AddSingleton(_ => SiteLinks.Public);
        return services;
    }
}
