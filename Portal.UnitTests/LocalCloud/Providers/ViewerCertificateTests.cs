namespace Portal.Tests.LocalCloud.Providers;

/// <summary>
/// A distribution with aliases needs an ISSUED ACM certificate from us-east-1 that covers every alias
/// (InvalidViewerCertificate otherwise).
/// </summary>
public sealed class ViewerCertificateTests
{
    [Fact]
    public void Aliases_with_the_default_cloudfront_certificate_are_refused()
    {
        var world = new ProviderWorld();

        var failure = world.Create("AWS::CloudFront::Distribution", "Site", Json.Distribution(["docs.example.com"]))
            .AssertRefused("InvalidViewerCertificate");

        Assert.StartsWith("To add an alternate domain name (CNAME) to a CloudFront distribution, you must attach a trusted certificate", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_from_another_region_is_refused()
    {
        var europe = new ProviderWorld(region: "eu-west-1");
        var certificate = europe.IssuedCertificate("docs.example.com");
        Assert.Contains(":acm:eu-west-1:", certificate.PhysicalId, StringComparison.Ordinal);

        var failure = europe.Create("AWS::CloudFront::Distribution", "Site", Json.Distribution(["docs.example.com"], certificate.PhysicalId))
            .AssertRefused("InvalidViewerCertificate");

        Assert.StartsWith("The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_still_pending_validation_is_refused()
    {
        var world = new ProviderWorld();
        var pending = world.Made("AWS::CertificateManager::Certificate", "Certificate", Json.Certificate("docs.example.com", hostedZoneId: null));

        world.Create("AWS::CloudFront::Distribution", "Site", Json.Distribution(["docs.example.com"], pending.PhysicalId)).AssertRefused("InvalidViewerCertificate");
    }

    [Fact]
    public void An_unknown_certificate_arn_is_refused()
    {
        var world = new ProviderWorld();

        world.Create("AWS::CloudFront::Distribution", "Site", Json.Distribution(["docs.example.com"], $"arn:aws:acm:us-east-1:{ProviderWorld.Account}:certificate/5f1bd9a4-0c44-4b8e-9d41-0a0e6c9e0b11"))
            .AssertRefused("InvalidViewerCertificate");
    }

    [Fact]
    public void A_certificate_that_does_not_cover_an_alias_is_refused()
    {
        var world = new ProviderWorld();
        var certificate = world.IssuedCertificate("docs.example.com");

        var failure = world.Create("AWS::CloudFront::Distribution", "Site", Json.Distribution(["docs.example.com", "www.example.com"], certificate.PhysicalId))
            .AssertRefused("InvalidViewerCertificate");

        Assert.StartsWith("The certificate that is attached to your distribution doesn't cover the alternate domain name (CNAME)", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_subject_alternative_name_covers_its_alias()
    {
        var world = new ProviderWorld();
        var certificate = world.IssuedCertificate("docs.example.com", "www.example.com");

        world.Create("AWS::CloudFront::Distribution", "Site", Json.Distribution(["docs.example.com", "www.example.com"], certificate.PhysicalId)).AssertCreated();
    }

    [Theory]
    [InlineData("docs.example.com", true)]
    [InlineData("example.com", false)]
    [InlineData("a.docs.example.com", false)]
    public void A_wildcard_certificate_covers_exactly_one_more_label(string alias, bool covered)
    {
        var world = new ProviderWorld();
        var certificate = world.IssuedCertificate("*.example.com");

        var result = world.Create("AWS::CloudFront::Distribution", "Site", Json.Distribution([alias], certificate.PhysicalId));

        if (covered)
        {
            result.AssertCreated();
        }
        else
        {
            result.AssertRefused("InvalidViewerCertificate");
        }
    }
}
