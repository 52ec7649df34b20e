using Portal.Core.Requests;
using Portal.Core.Upgrades;
using Portal.Core.Workflow;

namespace Portal.Tests.Upgrades;

/// <summary>Which requests an upgrade is started for, and how far an upgrade is, read from the request alone.</summary>
public sealed class TemplateUpgradeRulesTests
{
    private const string Current = "t-current";
    private static readonly StackRelease TestingOld = new("portal-site-testing-a", DeploymentEnvironment.Testing, "t-old");
    private static readonly StackRelease ProductionOld = new("portal-site-production-a", DeploymentEnvironment.Production, null);
    private static readonly StackRelease TestingCurrent = TestingOld with { Release = Current };

    [Fact]
    public void A_live_request_with_any_stack_behind_is_upgradable()
    {
        Assert.Null(TemplateUpgradeRules.WhyNotUpgradable(RequestState.Live, [TestingCurrent, ProductionOld], Current));
    }

    [Fact]
    public void Ready_in_testing_only_testing_counts_because_promotion_renders_production_anew()
    {
        Assert.Null(TemplateUpgradeRules.WhyNotUpgradable(RequestState.TestingReady, [TestingOld, ProductionOld], Current));
        Assert.Equal("Production gets the current release when the pending revision is promoted.",
            TemplateUpgradeRules.WhyNotUpgradable(RequestState.TestingReady, [TestingCurrent, ProductionOld], Current));
    }

    [Theory]
    [InlineData(RequestState.Submitted, "It is being deployed already")]
    [InlineData(RequestState.AwaitingApproval, "Production gets the current release")]
    [InlineData(RequestState.TestingFailed, "Its last deployment did not finish")]
    [InlineData(RequestState.DecommissionRequested, "It is waiting for decommission approval")]
    public void A_request_on_its_way_is_not_upgraded_and_says_why(RequestState state, string why)
    {
        Assert.StartsWith(why, TemplateUpgradeRules.WhyNotUpgradable(state, [TestingOld], Current), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Nothing_behind_is_nothing_to_upgrade()
    {
        Assert.Equal("Its stacks already run the current release.", TemplateUpgradeRules.WhyNotUpgradable(RequestState.Live, [TestingCurrent], Current));
    }

    [Theory]
    [InlineData(RequestState.Submitted, 2, null, UpgradeStep.Queued)]
    [InlineData(RequestState.TestingDeploying, 2, 1, UpgradeStep.Testing)]
    [InlineData(RequestState.TestingReady, 2, 1, UpgradeStep.TestingReady)]
    [InlineData(RequestState.TestingFailed, 2, 1, UpgradeStep.TestingFailed)]
    [InlineData(RequestState.AwaitingApproval, 2, 1, UpgradeStep.AwaitingApproval)]
    [InlineData(RequestState.Rejected, 2, 1, UpgradeStep.Rejected)]
    [InlineData(RequestState.ProductionDeploying, 2, 1, UpgradeStep.DeployingProduction)]
    [InlineData(RequestState.ProductionFailed, 2, 1, UpgradeStep.Failed)]
    [InlineData(RequestState.Live, 2, 2, UpgradeStep.Live)]
    [InlineData(RequestState.Submitted, 3, 1, UpgradeStep.Superseded)]
    [InlineData(RequestState.Live, 3, 3, UpgradeStep.Live)]
    [InlineData(RequestState.Live, 1, 1, UpgradeStep.Superseded)]
    [InlineData(RequestState.Withdrawn, 2, null, UpgradeStep.Removed)]
    public void Progress_of_upgrade_revision_2_is_read_from_the_request(RequestState state, int current, int? live, UpgradeStep expected)
    {
        Assert.Equal(expected, TemplateUpgradeRules.Progress(2, state, current, live));
    }

    [Fact]
    public void A_skipped_request_has_no_upgrade_revision()
    {
        Assert.Equal(UpgradeStep.Skipped, TemplateUpgradeRules.Progress(null, RequestState.Live, 1, 1));
        Assert.Equal("awaiting-approval", TemplateUpgradeRules.Code(UpgradeStep.AwaitingApproval));
    }
}
