using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.LocalCloud.Providers;
using Portal.Tests.Deployments;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Preflight;

/// <summary>The account's quota from Service Quotas against what CloudFront lists in use plus what the stacks add.</summary>
public sealed class PreflightQuotaTests
{
    [Fact]
    public async Task A_deployment_that_would_go_over_a_quota_fails_with_the_figures_and_the_code_to_raise()
    {
        await using var h = await EngineHarness.StartAsync(quotas: new LocalCloudQuotas { Distributions = 2 });
        var mail = await h.SubmitAsync(TestSpecs.MtaSts());
        await h.RunUntilStateAsync(mail, RequestState.TestingReady, RequestState.TestingFailed);
        Assert.Equal(RequestState.TestingReady, (await h.RequestAsync(mail)).State);

        // A site with a redirect adds two distributions (the site's and the redirect's) to the one in use.
        var site = await h.SubmitAsync(TestSpecs.Site());
        var report = await h.NewPreflight().RunAsync(await h.RequestAsync(site), DeploymentEnvironment.Testing);

        var quota = Assert.Single(report.Findings, f => f.Id == "quota.distributions");
        Assert.Equal(PreflightSeverity.Failure, quota.Severity);
        Assert.Equal(
            "1 of 2 CloudFront distributions in use (Service Quotas), this deployment adds 2: over the quota. Remove unused ones, "
            + "or ask for an increase of L-24B04930 in Service Quotas (service cloudfront), then run the checks again.",
            quota.Message);
        Assert.Empty(h.Aws.Violations);
    }
}
