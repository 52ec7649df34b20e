using Portal.Core.Requests;

namespace Portal.Tests.Requests;

/// <summary>The request page lists what was asked for field by field, values as typed and choices in words.</summary>
public sealed class SpecFieldsTests
{
    [Fact]
    public void A_site_lists_its_headers_as_typed_and_its_choices_in_words()
    {
        var spec = new SiteSpec
        {
            Host = "docs.example.com",
            HostedZoneName = "example.com",
            HostedZoneId = "Z0123456789ABC",
            RedirectFrom = ["www.docs.example.com"],
            CacheRules = [new CacheRule("*.css", "max-age=3600")],
        };

        var fields = SpecFields.Of(spec).ToDictionary(f => f.Label, f => string.Join(" | ", f.Values));

        Assert.Equal("docs.example.com", fields["Host"]);
        Assert.Equal("example.com (Z0123456789ABC)", fields["Hosted zone"]);
        Assert.Equal("testing | production", fields["Environments"]);
        Assert.Equal("www.docs.example.com", fields["Redirected to the host"]);
        Assert.Equal(SiteSpec.DefaultCsp, fields["Content-Security-Policy"]);
        Assert.Contains("'self'", fields["Content-Security-Policy"], StringComparison.Ordinal);
        Assert.Equal("*.css: max-age=3600", fields["Cache-Control rules"]);
        Assert.Equal("yes", fields["HSTS preload"]);
        Assert.Equal("none", fields["Deploy role for GitHub Actions"]);
    }

    [Fact]
    public void An_mta_sts_policy_lists_mode_max_age_and_mx_patterns()
    {
        var spec = new MtaStsSpec { Domain = "example.org", Mode = MtaStsMode.Enforce, MaxAge = 604_800, Mx = ["mx1.example.org", "*.mail.example.org"] };

        var fields = SpecFields.Of(spec).ToDictionary(f => f.Label, f => string.Join(" | ", f.Values));

        Assert.Equal("example.org", fields["Mail domain"]);
        Assert.Equal("elsewhere: records published by hand", fields["DNS"]);
        Assert.Equal("enforce", fields["Mode in production"]);
        Assert.Equal("604800 seconds (7 days)", fields["max_age"]);
        Assert.Equal("mx1.example.org | *.mail.example.org", fields["MX patterns"]);
        Assert.Equal("no TLS-RPT record", fields["TLS-RPT reports to"]);
    }
}
