using Portal.Core.Requests;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Requests;

/// <summary>The hosts derived from what a person typed: <c>test.</c> for a site's testing, <c>mta-sts.</c> for a policy.</summary>
public sealed class ServedNamesTests
{
    [Fact]
    public void A_site_is_served_at_test_dot_host_in_testing_and_at_the_host_in_production()
    {
        Assert.Equal("test.docs.example.com", ServedNames.Site("docs.example.com", DeploymentEnvironment.Testing));
        Assert.Equal("docs.example.com", ServedNames.Site("docs.example.com", DeploymentEnvironment.Production));
    }

    [Fact]
    public void A_mail_domain_policy_is_served_at_mta_sts_dot_domain()
    {
        Assert.Equal("mta-sts.example.com", ServedNames.MtaStsPolicyHost("example.com"));
    }

    [Fact]
    public void A_site_request_lists_both_environments_and_a_mail_domain_its_policy_host()
    {
        var site = ServedNames.Of(TestSpecs.Site("docs.example.com"));
        var mail = ServedNames.Of(TestSpecs.MtaSts("example.com"));

        Assert.Equal(["test.docs.example.com", "docs.example.com"], site.Select(n => n.Host));
        Assert.Equal([DeploymentEnvironment.Testing, DeploymentEnvironment.Production], site.Select(n => n.Environment));
        Assert.Equal("mta-sts.example.com", Assert.Single(mail).Host);
    }
}
