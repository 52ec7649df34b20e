namespace Portal.Tests.LocalCloud.Providers;

/// <summary>Names CloudFront keeps unique in an account: policies, origin access controls and functions.</summary>
public sealed class CloudFrontNameUniquenessTests
{
    private readonly ProviderWorld _world = new();

    [Fact]
    public void A_second_response_headers_policy_with_the_same_name_is_refused()
    {
        _world.Create("AWS::CloudFront::ResponseHeadersPolicy", "A", Json.ResponseHeadersPolicy("site-headers")).AssertCreated();

        _world.Create("AWS::CloudFront::ResponseHeadersPolicy", "B", Json.ResponseHeadersPolicy("site-headers")).AssertRefused("ResponseHeadersPolicyAlreadyExists");
    }

    [Fact]
    public void A_second_cache_policy_with_the_same_name_is_refused()
    {
        _world.Create("AWS::CloudFront::CachePolicy", "A", Json.CachePolicy("site-cache")).AssertCreated();

        _world.Create("AWS::CloudFront::CachePolicy", "B", Json.CachePolicy("site-cache")).AssertRefused("CachePolicyAlreadyExists");
    }

    [Fact]
    public void A_second_origin_access_control_with_the_same_name_is_refused()
    {
        _world.Create("AWS::CloudFront::OriginAccessControl", "A", Json.OriginAccessControl("site-oac")).AssertCreated();

        _world.Create("AWS::CloudFront::OriginAccessControl", "B", Json.OriginAccessControl("site-oac")).AssertRefused("OriginAccessControlAlreadyExists");
    }

    [Fact]
    public void A_second_function_with_the_same_name_is_refused()
    {
        _world.LiveFunction("default-document");

        _world.Create("AWS::CloudFront::Function", "Other", Json.Function("default-document", autoPublish: true)).AssertRefused("FunctionAlreadyExists");
    }

    [Fact]
    public void Renaming_a_policy_to_another_policys_name_is_refused_but_keeping_its_own_is_not()
    {
        _world.Made("AWS::CloudFront::ResponseHeadersPolicy", "A", Json.ResponseHeadersPolicy("first"));
        var second = _world.Made("AWS::CloudFront::ResponseHeadersPolicy", "B", Json.ResponseHeadersPolicy("second"));

        _world.Update(second, Json.ResponseHeadersPolicy("second")).AssertCreated();
        _world.Update(second, Json.ResponseHeadersPolicy("first")).AssertRefused("ResponseHeadersPolicyAlreadyExists");
    }

    [Fact]
    public void A_deleted_policy_frees_its_name()
    {
        var policy = _world.Made("AWS::CloudFront::CachePolicy", "A", Json.CachePolicy("site-cache"));
        Assert.Null(_world.Delete(policy));

        _world.Create("AWS::CloudFront::CachePolicy", "B", Json.CachePolicy("site-cache")).AssertCreated();
    }
}
