using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Deployments;

/// <summary>Buckets, certificate region and which environment a request deploys to next.</summary>
public sealed class PreflightSettingsRuleTests
{
    [Fact]
    public void Example_buckets_fail_for_a_real_account_naming_each_key_and_pass_elsewhere()
    {
        var half = PortalStackSettings.Example with { ContentBucketName = "acme-content" };

        Assert.Equal(
            "The bucket names are the examples: set Stacks:LogBucketName to the account's own globally unique bucket names and restart the portal.",
            PreflightRules.Buckets(half, realAccount: true).Message);
        Assert.Equal(PreflightSeverity.Failure, PreflightRules.Buckets(PortalStackSettings.Example, realAccount: true).Severity);
        Assert.Equal(PreflightSeverity.Ok, PreflightRules.Buckets(PortalStackSettings.Example, realAccount: false).Severity);
        Assert.Equal(PreflightSeverity.Ok, PreflightRules.Buckets(half with { LogBucketName = "acme-logs" }, realAccount: true).Severity);
    }

    [Fact]
    public void A_stack_with_a_certificate_outside_us_east_1_fails_and_one_without_may_be_anywhere()
    {
        var renderer = new StackRenderer(TemplateLibrary.LoadEmbedded(), PortalStackSettings.Example with { SharedRegion = "eu-west-1" });
        var request = PortalRequest.CreateDraft(Guid.NewGuid(), TestSpecs.Site(), TestActors.Alice, DateTimeOffset.UnixEpoch);
        var site = renderer.Render(RenderRequest.From(request, request.CurrentRevision), DeploymentEnvironment.Testing).Stacks;
        var shared = renderer.RenderShared();

        Assert.Equal(PreflightSeverity.Ok, PreflightRules.CertificateRegions([.. site, shared]).Severity);
        var moved = site[0] with { Region = "eu-west-1" };
        var finding = PreflightRules.CertificateRegions([moved]);
        Assert.Equal(PreflightSeverity.Failure, finding.Severity);
        Assert.StartsWith($"{moved.StackName} (eu-west-1) request a certificate outside us-east-1", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_checks_testing_first_and_production_once_testing_is_done()
    {
        var request = PortalRequest.CreateDraft(Guid.NewGuid(), TestSpecs.Site(), TestActors.Alice, DateTimeOffset.UnixEpoch);
        Assert.Equal(DeploymentEnvironment.Testing, PreflightRules.NextEnvironment(request));

        var productionOnly = PortalRequest.CreateDraft(Guid.NewGuid(), TestSpecs.Site() with { Environments = [DeploymentEnvironment.Production] }, TestActors.Alice, DateTimeOffset.UnixEpoch);
        Assert.Equal(DeploymentEnvironment.Production, PreflightRules.NextEnvironment(productionOnly));
    }
}
