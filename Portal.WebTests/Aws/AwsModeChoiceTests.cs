using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Portal.Aws;
using Portal.Infrastructure.Aws;

namespace Portal.Tests.Aws;

/// <summary>
/// Which AWS the portal talks to: Aws:Mode when set; otherwise the sandbox for --demo and Development, a real account
/// elsewhere; Production never falls into the sandbox without being asked.
/// </summary>
public sealed class AwsModeChoiceTests
{
    [Theory]
    [InlineData("Development", null, null, AwsModeSetting.Sandbox)]
    [InlineData("Testing", "true", null, AwsModeSetting.Sandbox)]
    [InlineData("Testing", null, null, AwsModeSetting.Aws)]
    [InlineData("Production", null, null, AwsModeSetting.Aws)]
    [InlineData("Production", "true", null, AwsModeSetting.Aws)]
    [InlineData("Production", null, "Sandbox", AwsModeSetting.Sandbox)]
    [InlineData("Development", "true", "Aws", AwsModeSetting.Aws)]
    [InlineData("Development", null, "planonly", AwsModeSetting.PlanOnly)]
    [InlineData("Staging", null, " PlanOnly ", AwsModeSetting.PlanOnly)]
    public void The_mode_follows_the_setting_then_the_environment(string environment, string? demo, string? mode, AwsModeSetting expected)
    {
        var choice = AwsModeChoice.From(Configuration(("Identity:Demo", demo), ("AWS:Mode", mode)), new Environment(environment));

        Assert.Equal(expected, choice.Setting);
        Assert.False(string.IsNullOrWhiteSpace(choice.Reason));
    }

    [Theory]
    [InlineData("Local")]
    [InlineData("1")]
    [InlineData("Sandbox;Aws")]
    public void An_unknown_mode_stops_the_start_naming_the_key(string mode)
    {
        var refused = Assert.Throws<OptionsValidationException>(() => AwsModeChoice.From(Configuration(("AWS:Mode", mode)), new Environment("Development")));

        Assert.Contains($"AWS:Mode must be Aws, Sandbox or PlanOnly; got '{mode}'.", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_only_never_deploys_even_with_credentials()
    {
        using var access = new AwsAccess(new SdkCredentialSource(new Amazon.Runtime.BasicAWSCredentials("AKIDEXAMPLEEXAMPLE12", "secret"), null), TimeProvider.System, AwsModeSetting.PlanOnly);

        var status = await access.GetStatusAsync();

        Assert.Equal(AwsAccessMode.PlanOnly, status.Mode);
        Assert.False(status.CanDeploy);
    }

    [Fact]
    public async Task The_sandbox_deploys_into_the_local_cloud()
    {
        using var access = new AwsAccess(new SdkCredentialSource(new Amazon.Runtime.BasicAWSCredentials("AKIDEXAMPLEEXAMPLE12", "secret"), null), TimeProvider.System, AwsModeSetting.Sandbox);

        var status = await access.GetStatusAsync();

        Assert.Equal(AwsAccessMode.Sandbox, status.Mode);
        Assert.True(status.CanDeploy);
        Assert.Contains("nothing is created in AWS", status.Explanation, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Where(v => v.Value is not null).Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "Portal";

        public string ContentRootPath { get; set; } = "/";

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
