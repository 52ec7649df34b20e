using Portal.Core.Requests;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Requests;

/// <summary>
/// Whether the stack writes the MTA-STS records (Route53) or the person publishes them is never guessed: a zone chosen
/// but left empty is an error on the zone id, not a silent switch to external DNS. A max_age below zero is an error
/// too, never rounded to 0.
/// </summary>
public sealed class MtaStsDnsChoiceTests
{
    [Fact]
    public void Route53_chosen_with_an_empty_zone_id_is_refused_on_the_zone_id()
    {
        var spec = TestSpecs.MtaSts() with { HostedZoneId = "", HostedZoneName = null };

        var error = Assert.Single(SpecValidator.Validate(spec).Errors);

        Assert.Equal("hostedZoneId", error.Field);
        Assert.Contains("required when the domain's DNS is in Route53", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zone_name_without_its_id_is_refused_on_the_zone_id()
    {
        var spec = TestSpecs.MtaSts() with { HostedZoneId = null, HostedZoneName = "example.com" };

        Assert.Equal("hostedZoneId", Assert.Single(SpecValidator.Validate(spec).Errors).Field);
    }

    [Fact]
    public void External_dns_says_so_with_neither_zone_id_nor_name()
    {
        var spec = TestSpecs.MtaSts() with { HostedZoneId = null, HostedZoneName = null };

        Assert.Empty(SpecValidator.Validate(spec).Errors);
        Assert.False(spec.DnsInRoute53);
    }

    [Fact]
    public void A_negative_max_age_is_refused_on_its_field()
    {
        var error = Assert.Single(SpecValidator.Validate(TestSpecs.MtaSts() with { MaxAge = -5 }).Errors);

        Assert.Equal(("maxAge", "max_age must be between 0 and 31557600 seconds (one year); got -5."), (error.Field, error.Message));
    }
}
