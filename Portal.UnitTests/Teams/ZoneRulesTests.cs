using Portal.Core.Requests;
using Portal.Core.Zones;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Teams;

/// <summary>Which hosted zones a request may use: those allowed to everyone and to its team, once admins allow any.</summary>
public sealed class ZoneRulesTests
{
    private static readonly ZoneGrant ExampleToEveryone = new(TestSpecs.ZoneId, "example.com", null);
    private static readonly ZoneGrant OrgToWeb = new("Z0RG", "example.org", "web");

    [Fact]
    public void A_zone_allowed_to_everyone_or_to_the_requests_team_passes()
    {
        var grants = new[] { ExampleToEveryone, OrgToWeb };

        Assert.Null(ZoneRules.Check(TestSpecs.Site(), ZoneRules.ForTeam(grants, null), enforced: true));
        Assert.Null(ZoneRules.Check(OrgSite(), ZoneRules.ForTeam(grants, "web"), enforced: true));
    }

    [Fact]
    public void A_zone_allowed_only_to_another_team_is_refused_naming_the_zones_allowed()
    {
        var refusal = ZoneRules.Check(OrgSite(), ZoneRules.ForTeam([ExampleToEveryone, OrgToWeb], "mail"), enforced: true);

        Assert.Equal(new FieldError("hostedZoneName", "The hosted zone example.org (Z0RG) is not one you may use (allowed: example.com)."), refusal);
    }

    [Fact]
    public void A_zone_id_that_does_not_match_its_name_is_refused()
    {
        var refusal = ZoneRules.Check(TestSpecs.Site() with { HostedZoneName = "example.net" }, [ExampleToEveryone], enforced: true);

        Assert.Equal(new FieldError("hostedZoneName", $"The hosted zone {TestSpecs.ZoneId} is example.com, not example.net."), refusal);
    }

    [Fact]
    public void Until_admins_allow_a_zone_every_zone_is_open()
    {
        Assert.Null(ZoneRules.Check(OrgSite(), [], enforced: false));
    }

    [Fact]
    public void A_zone_named_without_its_id_gets_the_id_of_the_one_known_zone_of_that_name()
    {
        var resolved = ZoneRules.ResolveZoneId(TestSpecs.Site() with { HostedZoneId = "", HostedZoneName = "example.org." }, [ExampleToEveryone, OrgToWeb]);
        var unknown = ZoneRules.ResolveZoneId(TestSpecs.Site() with { HostedZoneId = "", HostedZoneName = "example.net" }, [ExampleToEveryone, OrgToWeb]);

        Assert.Equal("Z0RG", ((SiteSpec)resolved).HostedZoneId);
        Assert.Equal("", ((SiteSpec)unknown).HostedZoneId);
    }

    private static SiteSpec OrgSite() => TestSpecs.Site("docs.example.org") with
    {
        HostedZoneId = "Z0RG", HostedZoneName = "example.org", RedirectFrom = [],
    };
}
