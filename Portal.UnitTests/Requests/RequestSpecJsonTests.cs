using Portal.Core.Requests;
using Portal.Infrastructure.Requests;

namespace Portal.Tests.Requests;

/// <summary>The one JSON shape of a request, as the CLI render file, the API and the database hold it.</summary>
public sealed class RequestSpecJsonTests
{
    [Fact]
    public void The_documented_site_example_parses()
    {
        const string json = """{"kind":"site","host":"docs.example.com","hostedZoneId":"Z0123456789ABC","hostedZoneName":"example.com","csp":"default-src 'self'","viewerProtocol":"redirect-to-https","redirectFrom":["www.docs.example.com"]}""";

        var site = Assert.IsType<SiteSpec>(RequestSpecJson.Parse(json).Spec);

        Assert.Equal(("docs.example.com", "Z0123456789ABC", "example.com", "default-src 'self'", ViewerProtocol.RedirectToHttps),
            (site.Host, site.HostedZoneId, site.HostedZoneName, site.Csp, site.ViewerProtocol));
        Assert.Equal(["www.docs.example.com"], site.RedirectFrom);
    }

    [Fact]
    public void The_documented_mta_sts_example_parses()
    {
        const string json = """{"kind":"mta-sts","domain":"example.com","mode":"testing","maxAge":604800,"mx":["mx1.example.com","*.mail.example.com"],"tlsRptRua":["mailto:tlsrpt@example.com"],"hostedZoneId":"Z0123456789ABC"}""";

        var mta = Assert.IsType<MtaStsSpec>(RequestSpecJson.Parse(json).Spec);

        Assert.Equal(("example.com", MtaStsMode.Testing, 604800L, "Z0123456789ABC"), (mta.Domain, mta.Mode, mta.MaxAge, mta.HostedZoneId));
        Assert.Equal(["mx1.example.com", "*.mail.example.com"], mta.Mx);
        Assert.Equal(["mailto:tlsrpt@example.com"], mta.TlsRptRua);
    }

    [Fact]
    public void Serialize_then_parse_gives_the_same_spec()
    {
        var site = new SiteSpec { Host = "a.example.com", HostedZoneId = "Z1", HostedZoneName = "example.com", ViewerProtocol = ViewerProtocol.HttpsOnly, CacheRules = [new("*.css", "max-age=60")] };

        var json = RequestSpecJson.Serialize(site);
        var back = Assert.IsType<SiteSpec>(RequestSpecJson.Parse(json).Spec);

        Assert.Contains("\"kind\":\"site\"", json, StringComparison.Ordinal);
        Assert.Contains("\"viewerProtocol\":\"https-only\"", json, StringComparison.Ordinal);
        Assert.Equal(json, RequestSpecJson.Serialize(back));
    }

    public static TheoryData<string, string, string> BadFiles() => new()
    {
        { "{}", "kind", "The field 'kind' is required and must be \"site\" or \"mta-sts\"." },
        { """{"kind":"website","host":"a.example.com"}""", "kind", "The field 'kind' is required and must be \"site\" or \"mta-sts\"." },
        { """{"kind":"site","viewerProtocol":"http-only"}""", "viewerProtocol", "The JSON value could not be converted to Portal.Core.Requests.ViewerProtocol." },
        { """{"kind":"mta-sts","maxAge":"a week"}""", "maxAge", "The JSON value could not be converted to System.Int64." },
        { """{"kind":"site","hots":"a.example.com"}""", "hots", "Unknown field." },
        { """{"kind":"site",""", "$", "" },
        { "null", "$", "The request is empty." },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Bad_json_names_the_field(string json, string field, string message)
    {
        var result = RequestSpecJson.Parse(json);

        Assert.False(result.IsSuccess);
        Assert.Equal(field, result.Field);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
        if (message.Length > 0)
        {
            Assert.Equal(message, result.Error);
        }
    }
}
