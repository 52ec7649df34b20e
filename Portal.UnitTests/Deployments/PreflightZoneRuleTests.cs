using Portal.Core.Deployments;

namespace Portal.Tests.Deployments;

/// <summary>The hosted zone the request names must be the public zone of that name, and hold every name served.</summary>
public sealed class PreflightZoneRuleTests
{
    [Fact]
    public void The_zone_of_the_name_given_is_ok_whatever_the_case_and_final_dot()
    {
        Assert.Equal(PreflightSeverity.Ok, PreflightRules.Zone("Z1", "Example.com", "example.com.", false, null).Severity);
    }

    [Fact]
    public void Another_zone_fails_and_names_the_right_id_when_the_account_has_one()
    {
        var finding = PreflightRules.Zone("Z2", "example.com", "example.org.", false, "Z1");

        Assert.Equal(PreflightSeverity.Failure, finding.Severity);
        Assert.Equal("The hosted zone Z2 is example.org, not example.com. Edit the request and choose example.com with the id Z1.", finding.Message);
    }

    [Fact]
    public void Without_a_zone_of_that_name_the_message_says_to_create_it()
    {
        var finding = PreflightRules.Zone("Z9", "example.com", null, false, null);

        Assert.Equal(
            "The hosted zone Z9 does not exist in this account. No public hosted zone named example.com exists in this account: create it in Route53 (or delegate the domain to it) and edit the request.",
            finding.Message);
    }

    [Fact]
    public void A_private_zone_fails()
    {
        var finding = PreflightRules.Zone("Z3", "example.com", "example.com.", true, "Z1");

        Assert.Equal(PreflightSeverity.Failure, finding.Severity);
        Assert.StartsWith("The hosted zone Z3 (example.com) is private", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_outside_the_zone_fails_naming_it()
    {
        var finding = PreflightRules.NamesInZone(["docs.example.com", "www.example.net", "example.com"], "example.com");

        Assert.Equal(PreflightSeverity.Failure, finding.Severity);
        Assert.Equal("www.example.net is not inside example.com: choose the zone that holds it or change the names.", finding.Message);
    }

    [Fact]
    public void Conflicting_records_fail_with_their_messages_and_none_is_ok()
    {
        Assert.Equal(PreflightSeverity.Ok, PreflightRules.Records([]).Severity);
        Assert.Equal("a. b.", PreflightRules.Records(["a.", "b."]).Message);
        Assert.Equal(PreflightSeverity.Failure, PreflightRules.Records(["a."]).Severity);
    }
}
