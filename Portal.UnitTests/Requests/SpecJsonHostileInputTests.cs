using Portal.Core.Requests;

namespace Portal.Tests.Requests;

/// <summary>
/// Reading a request from JSON never yields a half-built spec: nulls where the model has none, keys given twice,
/// strings that are not text and nesting past the limit are refused with the JSON path of the field.
/// </summary>
public sealed class SpecJsonHostileInputTests
{
    private const string Site = "\"kind\":\"site\",\"host\":\"docs.example.com\",\"hostedZoneId\":\"Z0123456789ABC\",\"hostedZoneName\":\"example.com\"";
    private const string Mta = "\"kind\":\"mta-sts\",\"domain\":\"example.com\"";

    public static TheoryData<string, string> Refused => new()
    {
        { "{" + Site + ",\"environments\":null}", "environments" },
        { "{" + Site + ",\"environments\":[null]}", "environments[0]" },
        { "{" + Site + ",\"redirectFrom\":null}", "redirectFrom" },
        { "{" + Site + ",\"cacheRules\":null}", "cacheRules" },
        { "{" + Site + ",\"cacheRules\":[null]}", "cacheRules[0]" },
        { "{" + Site + ",\"cacheRules\":[{\"pathPattern\":null,\"cacheControl\":\"no-cache\"}]}", "cacheRules[0].pathPattern" },
        { "{" + Site + ",\"cacheRules\":[{\"pathPattern\":\"*.css\"}]}", "cacheRules[0]" },
        { "{" + Site + ",\"csp\":null}", "csp" },
        { "{" + Site + ",\"permissionsPolicy\":null}", "permissionsPolicy" },
        { "{" + Site + ",\"deployRole\":{\"repository\":null,\"branch\":\"main\"}}", "deployRole.repository" },
        { "{" + Site + ",\"host\":\"other.example.com\"}", "host" },
        { "{" + Site + ",\"csp\":\"default-src \\ud800\"}", "csp" },
        { "{" + Site + ",\"redirectFrom\":[\"\\udc00.example.com\"]}", "redirectFrom[0]" },
        { "{" + Site + ",\"permissionsPolicy\":\"" + new string('a', 9000) + "\"}", "permissionsPolicy" },
        { "{" + Mta + ",\"mx\":null}", "mx" },
        { "{" + Mta + ",\"mx\":[null]}", "mx[0]" },
        { "{" + Mta + ",\"tlsRptRua\":null}", "tlsRptRua" },
        { "{" + Mta + ",\"tlsRptRua\":[\"mailto:a@example.com\",null]}", "tlsRptRua[1]" },
        { "{" + Mta + ",\"domain\":null}", "domain" },
        { "{" + Mta + ",\"mx\":[\"mx1.example.com\"],\"mx\":[]}", "mx" },
        { "{" + Mta + ",\"kind\":\"site\"}", "kind" },
        { "{" + Site + ",\"colour\":" + new string('[', 40) + new string(']', 40) + "}", "$" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Hostile_json_is_refused_naming_the_field(string json, string field)
    {
        var result = RequestSpecJson.Parse(json);

        Assert.False(result.IsSuccess, $"accepted: {json[..Math.Min(json.Length, 200)]}");
        Assert.Contains(result.Errors, e => e.Field == field && !string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public void Null_is_still_accepted_where_the_model_allows_it()
    {
        var site = Assert.IsType<SiteSpec>(RequestSpecJson.Parse("{" + Site + ",\"deployRole\":null}").Spec);
        Assert.Null(site.DeployRole);
        var mta = Assert.IsType<MtaStsSpec>(RequestSpecJson.Parse("{" + Mta + ",\"hostedZoneId\":null,\"hostedZoneName\":null}").Spec);
        Assert.Null(mta.HostedZoneId);
    }
}
