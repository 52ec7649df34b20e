using Portal.Infrastructure.Aws;

namespace Portal.Aws;

/// <summary>
/// Which AWS the portal talks to, decided once at start from <c>Aws:Mode</c> (<c>Aws</c>, <c>Sandbox</c> or
/// <c>PlanOnly</c>). Unset, <c>--demo</c> and the Development environment choose the sandbox, so a first try deploys
/// somewhere visible; every other environment chooses a real account (plan-only without credentials). Production never
/// falls into the sandbox unless it is asked for by name.
/// </summary>
public sealed record AwsModeChoice(AwsModeSetting Setting, string Reason)
{
    public const string Key = "AWS:Mode";

    public bool IsSandbox => Setting == AwsModeSetting.Sandbox;

    public static AwsModeChoice From(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var configured = configuration[Key];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Enum.TryParse<AwsModeSetting>(configured.Trim(), ignoreCase: true, out var chosen) && Enum.IsDefined(chosen) && !int.TryParse(configured, out _)
                ? new AwsModeChoice(chosen, $"{Key}={chosen}")
                : throw new Microsoft.Extensions.Options.OptionsValidationException(Key, typeof(AwsModeChoice),
                    [$"{Key} must be Aws, Sandbox or PlanOnly; got '{configured}'."]);
        }

        if (environment.IsProduction())
        {
            return new AwsModeChoice(AwsModeSetting.Aws, "the Production environment uses a real account unless " + Key + " says otherwise");
        }

        if (environment.IsDevelopment())
        {
            return new AwsModeChoice(AwsModeSetting.Sandbox, "the Development environment defaults to the sandbox");
        }

        return configuration.GetValue<bool>("Identity:Demo")
            ? new AwsModeChoice(AwsModeSetting.Sandbox, "--demo defaults to the sandbox")
            : new AwsModeChoice(AwsModeSetting.Aws, "no " + Key + " is set");
    }
}
