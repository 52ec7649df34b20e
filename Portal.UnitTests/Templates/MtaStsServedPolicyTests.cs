using Portal.Core.MtaSts;
using Portal.Core.Requests;
using Portal.Core.Templates;

namespace Portal.Tests.Templates;

/// <summary>
/// Which policy each environment serves: testing always tries out <c>testing</c> (RFC 8461 section 5), production
/// serves the mode asked for, and a withdrawal (<c>none</c>) serves <c>none</c> in both.
/// </summary>
public sealed class MtaStsServedPolicyTests
{
    [Theory]
    [InlineData(MtaStsMode.Testing, DeploymentEnvironment.Testing, MtaStsMode.Testing)]
    [InlineData(MtaStsMode.Testing, DeploymentEnvironment.Production, MtaStsMode.Testing)]
    [InlineData(MtaStsMode.Enforce, DeploymentEnvironment.Testing, MtaStsMode.Testing)]
    [InlineData(MtaStsMode.Enforce, DeploymentEnvironment.Production, MtaStsMode.Enforce)]
    [InlineData(MtaStsMode.None, DeploymentEnvironment.Testing, MtaStsMode.None)]
    [InlineData(MtaStsMode.None, DeploymentEnvironment.Production, MtaStsMode.None)]
    public void Each_environment_serves_its_mode_with_the_requests_max_age_and_mx(MtaStsMode asked, DeploymentEnvironment environment, MtaStsMode served)
    {
        var spec = new MtaStsSpec { Domain = "example.com", Mode = asked, MaxAge = 86400, Mx = ["mx1.example.com", "*.mail.example.com"] };

        var policy = MtaStsPublication.ServedPolicy(spec, environment);

        Assert.Equal(served, MtaStsPublication.ServedMode(spec, environment));
        Assert.True(policy.IsValid);
        Assert.Equal(MtaStsPolicy.Create(served, 86400, spec.Mx).Value!.Serialize(), policy.Value!.Serialize());
        Assert.Equal(policy.Value.Serialize(), MtaStsPublication.Create(spec, environment).Publication!.PolicyText);
    }

    [Fact]
    public void A_policy_that_cannot_be_served_comes_with_the_findings_that_stop_it()
    {
        var spec = new MtaStsSpec { Domain = "example.com", Mode = MtaStsMode.Enforce, MaxAge = -1, Mx = [] };

        var policy = MtaStsPublication.ServedPolicy(spec, DeploymentEnvironment.Testing);

        Assert.Null(policy.Value);
        Assert.Equal(["max-age-invalid", "mx-missing"], policy.Errors.Select(e => e.Id).Order(StringComparer.Ordinal));
    }
}
