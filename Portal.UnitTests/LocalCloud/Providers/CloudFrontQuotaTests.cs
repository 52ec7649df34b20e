using Portal.LocalCloud.Providers;

namespace Portal.Tests.LocalCloud.Providers;

/// <summary>CloudFront's per-account and per-distribution quotas, at AWS's default values unless a test raises them.</summary>
public sealed class CloudFrontQuotaTests
{
    [Fact]
    public void The_twenty_first_response_headers_policy_is_refused()
    {
        var world = new ProviderWorld();
        for (var i = 0; i < 20; i++)
        {
            world.Create("AWS::CloudFront::ResponseHeadersPolicy", $"Policy{i}", Json.ResponseHeadersPolicy($"policy-{i}")).AssertCreated();
        }

        var failure = world.Create("AWS::CloudFront::ResponseHeadersPolicy", "Policy20", Json.ResponseHeadersPolicy("policy-20"))
            .AssertRefused("TooManyResponseHeadersPolicies");

        Assert.StartsWith("You have reached the maximum number of response headers policies", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_raised_quota_admits_more_response_headers_policies()
    {
        var world = new ProviderWorld(new LocalCloudQuotas { ResponseHeadersPolicies = 25 });
        for (var i = 0; i < 25; i++)
        {
            world.Create("AWS::CloudFront::ResponseHeadersPolicy", $"Policy{i}", Json.ResponseHeadersPolicy($"policy-{i}")).AssertCreated();
        }

        world.Create("AWS::CloudFront::ResponseHeadersPolicy", "Policy25", Json.ResponseHeadersPolicy("policy-25")).AssertRefused("TooManyResponseHeadersPolicies");
    }

    [Fact]
    public void The_twenty_first_cache_policy_is_refused()
    {
        var world = new ProviderWorld();
        for (var i = 0; i < 20; i++)
        {
            world.Create("AWS::CloudFront::CachePolicy", $"Cache{i}", Json.CachePolicy($"cache-{i}")).AssertCreated();
        }

        world.Create("AWS::CloudFront::CachePolicy", "Cache20", Json.CachePolicy("cache-20")).AssertRefused("TooManyCachePolicies");
    }

    [Fact]
    public void Functions_beyond_the_account_quota_are_refused()
    {
        var world = new ProviderWorld(new LocalCloudQuotas { Functions = 2 });
        world.LiveFunction("one");
        world.LiveFunction("two");

        world.Create("AWS::CloudFront::Function", "three", Json.Function("three", autoPublish: true)).AssertRefused("TooManyFunctions");
    }

    [Fact]
    public void Origin_access_controls_beyond_the_account_quota_are_refused()
    {
        var world = new ProviderWorld(new LocalCloudQuotas { OriginAccessControls = 1 });
        world.Create("AWS::CloudFront::OriginAccessControl", "Oac1", Json.OriginAccessControl("oac-1")).AssertCreated();

        world.Create("AWS::CloudFront::OriginAccessControl", "Oac2", Json.OriginAccessControl("oac-2")).AssertRefused("TooManyOriginAccessControls");
    }

    [Fact]
    public void Distributions_beyond_the_account_quota_are_refused()
    {
        var world = new ProviderWorld(new LocalCloudQuotas { Distributions = 2 });
        world.Create("AWS::CloudFront::Distribution", "One", Json.Distribution()).AssertCreated();
        world.Create("AWS::CloudFront::Distribution", "Two", Json.Distribution()).AssertCreated();

        world.Create("AWS::CloudFront::Distribution", "Three", Json.Distribution()).AssertRefused("TooManyDistributions");
    }

    [Fact]
    public void More_aliases_than_the_quota_are_refused()
    {
        var world = new ProviderWorld(new LocalCloudQuotas { AliasesPerDistribution = 2 });
        var certificate = world.IssuedCertificate("*.example.com");

        world.Create("AWS::CloudFront::Distribution", "Two", Json.Distribution(["a.example.com", "b.example.com"], certificate.PhysicalId)).AssertCreated();
        world.Create("AWS::CloudFront::Distribution", "Three", Json.Distribution(["c.example.com", "d.example.com", "e.example.com"], certificate.PhysicalId))
            .AssertRefused("TooManyDistributionCNAMEs");
    }

    [Fact]
    public void A_function_associated_with_as_many_distributions_as_the_quota_takes_no_more()
    {
        var world = new ProviderWorld(new LocalCloudQuotas { DistributionsPerFunction = 2 });
        var function = world.LiveFunction("default-document");
        world.Create("AWS::CloudFront::Distribution", "One", Json.Distribution(functionArns: [function.PhysicalId])).AssertCreated();
        world.Create("AWS::CloudFront::Distribution", "Two", Json.Distribution(functionArns: [function.PhysicalId])).AssertCreated();

        world.Create("AWS::CloudFront::Distribution", "Three", Json.Distribution(functionArns: [function.PhysicalId]))
            .AssertRefused("TooManyDistributionsWithFunctionAssociations");
    }

    [Fact]
    public void A_response_headers_policy_or_origin_access_control_used_by_as_many_distributions_as_the_quota_takes_no_more()
    {
        var world = new ProviderWorld(new LocalCloudQuotas { DistributionsPerResponseHeadersPolicy = 1, DistributionsPerOriginAccessControl = 1 });
        var headers = world.Made("AWS::CloudFront::ResponseHeadersPolicy", "Headers", Json.ResponseHeadersPolicy("headers"));
        var oac = world.Made("AWS::CloudFront::OriginAccessControl", "Oac", Json.OriginAccessControl("oac"));
        var other = world.Made("AWS::CloudFront::OriginAccessControl", "Other", Json.OriginAccessControl("other"));
        world.Create("AWS::CloudFront::Distribution", "One", Json.Distribution(responseHeadersPolicyId: headers.PhysicalId, originAccessControlId: oac.PhysicalId)).AssertCreated();

        world.Create("AWS::CloudFront::Distribution", "Two", Json.Distribution(responseHeadersPolicyId: headers.PhysicalId, originAccessControlId: other.PhysicalId))
            .AssertRefused("TooManyDistributionsAssociatedToResponseHeadersPolicy");
        world.Create("AWS::CloudFront::Distribution", "Three", Json.Distribution(originAccessControlId: oac.PhysicalId))
            .AssertRefused("TooManyDistributionsAssociatedToOriginAccessControl");
    }

    [Fact]
    public void A_cache_policy_of_the_account_used_by_as_many_distributions_as_the_quota_takes_no_more_but_a_managed_one_does()
    {
        var world = new ProviderWorld(new LocalCloudQuotas { DistributionsPerCachePolicy = 1 });
        var cache = world.Made("AWS::CloudFront::CachePolicy", "Cache", Json.CachePolicy("cache"));
        world.Create("AWS::CloudFront::Distribution", "One", Json.Distribution(cachePolicyId: cache.PhysicalId)).AssertCreated();

        world.Create("AWS::CloudFront::Distribution", "Two", Json.Distribution(cachePolicyId: cache.PhysicalId)).AssertRefused("TooManyDistributionsAssociatedToCachePolicy");
        world.Create("AWS::CloudFront::Distribution", "Managed1", Json.Distribution()).AssertCreated();
        world.Create("AWS::CloudFront::Distribution", "Managed2", Json.Distribution()).AssertCreated();
    }

    [Fact]
    public void The_default_quotas_are_the_documented_aws_defaults()
    {
        var quotas = new LocalCloudQuotas();

        Assert.Equal(
            (20, 20, 100, 100, 500, 100, 100, 10240),
            (quotas.ResponseHeadersPolicies, quotas.CachePolicies, quotas.Functions, quotas.OriginAccessControls, quotas.Distributions,
                quotas.DistributionsPerFunction, quotas.AliasesPerDistribution, quotas.FunctionCodeBytes));
        Assert.Equal((100, 100, 100), (quotas.DistributionsPerCachePolicy, quotas.DistributionsPerResponseHeadersPolicy, quotas.DistributionsPerOriginAccessControl));
    }
}
