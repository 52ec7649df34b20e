using Portal.Core.Deployments;

namespace Portal.Tests.Deployments;

/// <summary>A quota after the deployment: over it a failure, from 80 % a warning, below an ok; each says how to raise it.</summary>
public sealed class PreflightQuotaRuleTests
{
    [Theory]
    [InlineData(10, 0, PreflightSeverity.Ok)]
    [InlineData(15, 0, PreflightSeverity.Warning)]
    [InlineData(16, 4, PreflightSeverity.Warning)]
    [InlineData(17, 4, PreflightSeverity.Failure)]
    [InlineData(20, 1, PreflightSeverity.Failure)]
    public void The_verdict_follows_the_use_after_the_deployment(int used, int rest, PreflightSeverity expected)
    {
        var adding = rest == 0 ? 1 : rest;

        var finding = PreflightRules.Quota(AccountQuota.ResponseHeadersPolicies, 20, used, adding, fromServiceQuotas: true);

        Assert.Equal(expected, finding.Severity);
        Assert.Equal("quota.response-headers-policies", finding.Id);
    }

    [Fact]
    public void Nothing_added_is_no_warning_even_at_the_quota()
    {
        Assert.Equal(PreflightSeverity.Ok, PreflightRules.Quota(AccountQuota.Distributions, 500, 500, 0, fromServiceQuotas: true).Severity);
    }

    [Fact]
    public void A_quota_outside_service_quotas_says_it_is_the_documented_default_and_to_ask_support()
    {
        var finding = PreflightRules.Quota(AccountQuota.Functions, 100, 99, 2, fromServiceQuotas: false);

        Assert.Equal(
            "99 of 100 CloudFront Functions in use (AWS's documented default), this deployment adds 2: over the quota. Remove unused ones, or ask AWS Support for an increase, then run the checks again.",
            finding.Message);
    }

    [Fact]
    public void A_warning_names_the_quota_code_to_raise()
    {
        var finding = PreflightRules.Quota(AccountQuota.Distributions, 500, 398, 2, fromServiceQuotas: true);

        Assert.Equal(
            "398 of 500 CloudFront distributions in use (Service Quotas), this deployment adds 2: near the quota; ask for an increase of L-24B04930 in Service Quotas (service cloudfront) before it is reached.",
            finding.Message);
    }
}
