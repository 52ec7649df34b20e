using System.Text.Json.Nodes;
using Portal.LocalCloud.Edge;
using Portal.LocalCloud.Resources;

namespace Portal.Tests.LocalCloud.Edge;

/// <summary>
/// A Host names a distribution by an alias or by its dxxxx.cloudfront.net name, with any port, any case and a final
/// dot; a *.localhost name stands for the name before it; a wildcard alias covers one more label; a disabled
/// distribution or an unknown name answers nothing.
/// </summary>
public sealed class EdgeHostMappingTests
{
    private static EdgeDistribution Distribution(string id, bool enabled = true, params string[] aliases) => EdgeDistribution.From(new LiveResource(
        "stack", "Distribution", EdgeDistribution.ResourceType, id,
        new JsonObject
        {
            ["DistributionConfig"] = new JsonObject
            {
                ["Enabled"] = enabled,
                ["Aliases"] = new JsonArray(aliases.Select(a => (JsonNode?)a).ToArray()),
                ["DefaultCacheBehavior"] = new JsonObject { ["TargetOriginId"] = "content", ["ViewerProtocolPolicy"] = "redirect-to-https" },
            },
        },
        new Dictionary<string, string> { ["DomainName"] = id.ToLowerInvariant() + ".cloudfront.net", ["Id"] = id }));

    private static readonly IReadOnlyList<EdgeDistribution> Distributions =
    [
        Distribution("D1SITE", true, "test.docs.example.com"),
        Distribution("D2WILD", true, "*.apps.example.com"),
        Distribution("D3OFF", false, "off.example.com"),
    ];

    [Theory]
    [InlineData("test.docs.example.com", "D1SITE")]
    [InlineData("TEST.Docs.Example.com:8443", "D1SITE")]
    [InlineData("test.docs.example.com.", "D1SITE")]
    [InlineData("test.docs.example.com.localhost:51234", "D1SITE")]
    [InlineData("test.docs.example.com.localhost", "D1SITE")]
    [InlineData("d1site.cloudfront.net", "D1SITE")]
    [InlineData("d1site.cloudfront.net.localhost:80", "D1SITE")]
    [InlineData("one.apps.example.com", "D2WILD")]
    [InlineData("one.apps.example.com.localhost:9000", "D2WILD")]
    public void A_host_names_its_distribution(string host, string id) =>
        Assert.Equal(id, EdgeHosts.Find(Distributions, host)?.Id);

    [Theory]
    [InlineData("docs.example.com")]
    [InlineData("www.test.docs.example.com")]
    [InlineData("two.levels.apps.example.com")]
    [InlineData("apps.example.com")]
    [InlineData("off.example.com")]
    [InlineData("localhost")]
    [InlineData("127.0.0.1:8080")]
    [InlineData("")]
    public void Any_other_host_names_none(string host) => Assert.Null(EdgeHosts.Find(Distributions, host));

    [Theory]
    [InlineData("test.docs.example.com.localhost:5000", "test.docs.example.com", true)]
    [InlineData("Test.Docs.Example.Com.LOCALHOST", "test.docs.example.com", true)]
    [InlineData("test.docs.example.com:443", "test.docs.example.com", false)]
    [InlineData("localhost:5000", "localhost", false)]
    [InlineData("[::1]:8080", "[::1]", false)]
    public void The_canonical_name_drops_port_case_and_the_localhost_suffix(string host, string canonical, bool local)
    {
        Assert.Equal(canonical, EdgeHosts.Canonical(host));
        Assert.Equal(local, EdgeHosts.IsLocalName(host));
    }
}
