namespace Portal.Tests.LocalCloud.Providers;

/// <summary>
/// What a distribution refers to must exist (policies, origin access controls), and what a distribution uses cannot be
/// deleted under it (the <c>...InUse</c> errors).
/// </summary>
public sealed class CloudFrontReferencesTests
{
    private readonly ProviderWorld _world = new();

    [Fact]
    public void A_managed_cache_policy_needs_no_resource_but_an_unknown_one_is_refused()
    {
        _world.Create("AWS::CloudFront::Distribution", "Managed", Json.Distribution()).AssertCreated();

        _world.Create("AWS::CloudFront::Distribution", "Unknown", Json.Distribution(cachePolicyId: "0c5b5a3e-5bb8-4b55-9a55-000000000000"))
            .AssertRefused("NoSuchCachePolicy");
    }

    [Fact]
    public void An_unknown_response_headers_policy_is_refused_and_a_live_one_accepted()
    {
        var policy = _world.Made("AWS::CloudFront::ResponseHeadersPolicy", "Headers", Json.ResponseHeadersPolicy("headers"));

        _world.Create("AWS::CloudFront::Distribution", "Known", Json.Distribution(responseHeadersPolicyId: policy.PhysicalId)).AssertCreated();
        _world.Create("AWS::CloudFront::Distribution", "Unknown", Json.Distribution(responseHeadersPolicyId: "9a1f0c2e-1111-4c4c-8d8d-000000000000"))
            .AssertRefused("NoSuchResponseHeadersPolicy");
    }

    [Fact]
    public void An_unknown_origin_access_control_is_refused()
    {
        _world.Create("AWS::CloudFront::Distribution", "Site", Json.Distribution(originAccessControlId: "E2QWRUHAPOMQZL")).AssertRefused("NoSuchOriginAccessControl");
    }

    [Fact]
    public void A_response_headers_policy_in_use_cannot_be_deleted_until_its_distribution_is_gone()
    {
        var policy = _world.Made("AWS::CloudFront::ResponseHeadersPolicy", "Headers", Json.ResponseHeadersPolicy("headers"));
        var distribution = _world.Made("AWS::CloudFront::Distribution", "Site", Json.Distribution(responseHeadersPolicyId: policy.PhysicalId));

        Assert.Contains("Error Code: ResponseHeadersPolicyInUse;", _world.Delete(policy), StringComparison.Ordinal);
        Assert.Null(_world.Delete(distribution));
        Assert.Null(_world.Delete(policy));
    }

    [Fact]
    public void An_origin_access_control_in_use_cannot_be_deleted()
    {
        var oac = _world.Made("AWS::CloudFront::OriginAccessControl", "Oac", Json.OriginAccessControl("oac"));
        _world.Made("AWS::CloudFront::Distribution", "Site", Json.Distribution(originAccessControlId: oac.PhysicalId));

        Assert.Contains("Error Code: OriginAccessControlInUse;", _world.Delete(oac), StringComparison.Ordinal);
    }

    [Fact]
    public void A_function_in_use_cannot_be_deleted()
    {
        var function = _world.LiveFunction("default-document");
        _world.Made("AWS::CloudFront::Distribution", "Site", Json.Distribution(functionArns: [function.PhysicalId]));

        Assert.Contains("Error Code: FunctionInUse;", _world.Delete(function), StringComparison.Ordinal);
    }
}
