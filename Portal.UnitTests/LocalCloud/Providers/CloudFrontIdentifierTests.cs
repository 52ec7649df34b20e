namespace Portal.Tests.LocalCloud.Providers;

/// <summary>Physical ids and attributes in the forms CloudFront gives them (what Ref and Fn::GetAtt return).</summary>
public sealed class CloudFrontIdentifierTests
{
    private readonly ProviderWorld _world = new();

    [Fact]
    public void A_distribution_id_is_E_and_13_upper_case_characters_and_its_domain_d_and_13_lower_case_ones()
    {
        var result = _world.Create("AWS::CloudFront::Distribution", "Site", Json.Distribution());

        Assert.Matches("^E[A-Z0-9]{13}$", result.PhysicalId);
        Assert.Equal(result.PhysicalId, result.Attributes["Id"]);
        Assert.Matches(@"^d[a-z0-9]{13}\.cloudfront\.net$", result.Attributes["DomainName"]);
    }

    [Fact]
    public void Policies_are_identified_by_a_uuid_and_origin_access_controls_by_an_E_id()
    {
        var headers = _world.Create("AWS::CloudFront::ResponseHeadersPolicy", "Headers", Json.ResponseHeadersPolicy("headers"));
        var cache = _world.Create("AWS::CloudFront::CachePolicy", "Cache", Json.CachePolicy("cache"));
        var oac = _world.Create("AWS::CloudFront::OriginAccessControl", "Oac", Json.OriginAccessControl("oac"));

        Assert.True(Guid.TryParseExact(headers.PhysicalId, "D", out _));
        Assert.True(Guid.TryParseExact(cache.PhysicalId, "D", out _));
        Assert.Equal(headers.PhysicalId, headers.Attributes["Id"]);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", headers.Attributes["LastModifiedTime"]);
        Assert.Matches("^E[A-Z0-9]{13}$", oac.PhysicalId);
    }

    [Fact]
    public void Two_distributions_get_different_ids_and_domains()
    {
        var one = _world.Create("AWS::CloudFront::Distribution", "One", Json.Distribution());
        var two = _world.Create("AWS::CloudFront::Distribution", "Two", Json.Distribution());

        Assert.NotEqual(one.PhysicalId, two.PhysicalId);
        Assert.NotEqual(one.Attributes["DomainName"], two.Attributes["DomainName"]);
    }
}
