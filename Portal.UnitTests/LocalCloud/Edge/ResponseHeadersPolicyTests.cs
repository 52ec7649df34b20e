using System.Text.Json.Nodes;
using Portal.LocalCloud.Edge;

namespace Portal.Tests.LocalCloud.Edge;

/// <summary>
/// A response headers policy adds its security and custom headers, replaces the origin's only where Override is
/// true, and removes the headers it lists; the site template's policies give exactly the portal's security headers.
/// </summary>
public sealed class ResponseHeadersPolicyTests
{
    private static JsonObject SitePolicy(string logicalId)
    {
        var stacks = DeployedStacks.ExampleSite();
        var site = stacks.Single(s => s.Kind == Portal.Core.Templates.StackKind.Site);
        var headers = stacks.Single(s => s.StackName == site.Parameter("HeadersStackName"));
        return DeployedStacks.Resolved(headers)["Resources"]![logicalId]!["Properties"]!["ResponseHeadersPolicyConfig"]!.AsObject();
    }

    private static Dictionary<string, string> OriginHeaders() => new(StringComparer.OrdinalIgnoreCase)
    {
        ["Content-Type"] = "text/html",
        ["Server"] = "AmazonS3",
        ["X-Frame-Options"] = "SAMEORIGIN",
        ["Cache-Control"] = "no-cache",
    };

    [Fact]
    public void The_site_policy_sets_the_security_headers_and_removes_server()
    {
        var headers = OriginHeaders();

        ResponseHeadersPolicy.Apply(SitePolicy("HeadersPolicy"), headers);

        Assert.Equal("max-age=31536000; includeSubDomains; preload", headers["Strict-Transport-Security"]);
        Assert.Equal("default-src 'self'", headers["Content-Security-Policy"]);
        Assert.Equal("nosniff", headers["X-Content-Type-Options"]);
        Assert.Equal("DENY", headers["X-Frame-Options"]);
        Assert.Equal("strict-origin-when-cross-origin", headers["Referrer-Policy"]);
        Assert.Equal("camera=(), microphone=(), geolocation=(), payment=(), usb=()", headers["Permissions-Policy"]);
        Assert.False(headers.ContainsKey("Server"));
        Assert.Equal("text/html", headers["Content-Type"]);
        Assert.Equal("no-cache", headers["Cache-Control"]);
    }

    [Fact]
    public void The_site_policy_keeps_the_origins_cache_control()
    {
        var headers = OriginHeaders();

        ResponseHeadersPolicy.Apply(SitePolicy("HeadersPolicy"), headers);

        Assert.Equal("no-cache", headers["Cache-Control"]);
    }

    [Fact]
    public void Without_override_the_origins_header_stays_and_a_missing_one_is_added()
    {
        var policy = JsonNode.Parse("""
            {
              "SecurityHeadersConfig": {
                "FrameOptions": { "FrameOption": "DENY", "Override": false },
                "XSSProtection": { "Protection": true, "ModeBlock": true, "Override": false },
                "StrictTransportSecurity": { "AccessControlMaxAgeSec": 300, "Override": false }
              },
              "CustomHeadersConfig": { "Items": [
                { "Header": "Cache-Control", "Value": "max-age=60", "Override": false },
                { "Header": "X-Site", "Value": "docs", "Override": false } ] }
            }
            """)!.AsObject();
        var headers = OriginHeaders();

        ResponseHeadersPolicy.Apply(policy, headers);

        Assert.Equal("SAMEORIGIN", headers["X-Frame-Options"]);
        Assert.Equal("no-cache", headers["Cache-Control"]);
        Assert.Equal("1; mode=block", headers["X-XSS-Protection"]);
        Assert.Equal("max-age=300", headers["Strict-Transport-Security"]);
        Assert.Equal("docs", headers["X-Site"]);
        Assert.Equal("AmazonS3", headers["Server"]);
    }

    [Theory]
    [InlineData("""{ "Protection": false, "Override": true }""", "0")]
    [InlineData("""{ "Protection": true, "Override": true }""", "1")]
    [InlineData("""{ "Protection": true, "ReportUri": "https://r.example/x", "Override": true }""", "1; report=https://r.example/x")]
    public void Xss_protection_is_written_as_cloudfront_writes_it(string setting, string value)
    {
        var headers = OriginHeaders();

        ResponseHeadersPolicy.Apply(new JsonObject { ["SecurityHeadersConfig"] = new JsonObject { ["XSSProtection"] = JsonNode.Parse(setting) } }, headers);

        Assert.Equal(value, headers["X-XSS-Protection"]);
    }
}
