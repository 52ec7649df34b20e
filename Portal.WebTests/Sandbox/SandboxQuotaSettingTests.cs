using Microsoft.Extensions.Configuration;
using Portal.Sandbox;

namespace Portal.Tests.Sandbox;

/// <summary>The sandbox's quotas are AWS's defaults until an operator raises one in configuration.</summary>
public sealed class SandboxQuotaSettingTests
{
    [Fact]
    public void A_quota_raised_in_configuration_is_raised_and_the_others_keep_AWS_defaults()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sandbox:Quotas:ResponseHeadersPolicies"] = "100",
            ["Sandbox:Quotas:ExternalValidationDelay"] = "00:00:05",
        }).Build();

        var options = configuration.GetSection(SandboxOptions.SectionName).Get<SandboxOptions>()!;

        Assert.Equal(100, options.Quotas.ResponseHeadersPolicies);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Quotas.ExternalValidationDelay);
        Assert.Equal(20, options.Quotas.CachePolicies);
        Assert.Equal(100, options.Quotas.Functions);
    }
}
