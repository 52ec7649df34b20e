using System.Text.Json.Nodes;
using Portal.LocalCloud.Edge;
using Portal.LocalCloud.Resources;

namespace Portal.Tests.LocalCloud.Edge;

/// <summary>
/// The event a viewer-request function gets has CloudFront's shape: version, context, viewer.ip, and a request with
/// lower-case header names, <c>{ value }</c> objects, multiValue for a repeated name, the query string as sent and
/// cookies taken out of the Cookie header; the query string comes back the way it went in.
/// </summary>
public sealed class ViewerRequestEventTests
{
    private static readonly EdgeDistribution Distribution = EdgeDistribution.From(new LiveResource("s", "Distribution", EdgeDistribution.ResourceType, "EDFDVBD6EXAMPLE",
        new JsonObject { ["DistributionConfig"] = new JsonObject { ["Aliases"] = new JsonArray("test.docs.example.com") } },
        new Dictionary<string, string> { ["DomainName"] = "d111111abcdef8.cloudfront.net", ["Id"] = "EDFDVBD6EXAMPLE" }));

    private static JsonObject Build(string query = "", params (string, string)[] headers) => ViewerRequestEvent.Build(
        new EdgeRequest(true, "test.docs.example.com", "GET", "/guide/a%20b.html", query,
            headers.Select(h => new KeyValuePair<string, string>(h.Item1, h.Item2)).ToList(), "198.51.100.11"),
        Distribution, "request-1");

    [Fact]
    public void The_envelope_names_the_distribution_the_event_and_the_viewer()
    {
        var e = Build();

        Assert.Equal("1.0", e["version"]!.GetValue<string>());
        Assert.Equal("d111111abcdef8.cloudfront.net", e["context"]!["distributionDomainName"]!.GetValue<string>());
        Assert.Equal("EDFDVBD6EXAMPLE", e["context"]!["distributionId"]!.GetValue<string>());
        Assert.Equal("viewer-request", e["context"]!["eventType"]!.GetValue<string>());
        Assert.Equal("request-1", e["context"]!["requestId"]!.GetValue<string>());
        Assert.Equal("198.51.100.11", e["viewer"]!["ip"]!.GetValue<string>());
        Assert.Equal("GET", e["request"]!["method"]!.GetValue<string>());
        Assert.Equal("/guide/a%20b.html", e["request"]!["uri"]!.GetValue<string>());
    }

    [Fact]
    public void Headers_are_lower_case_value_objects_with_multi_value_for_a_repeated_name()
    {
        var headers = Build("", ("Host", "test.docs.example.com"), ("Accept", "text/html"), ("X-Tag", "a"), ("x-tag", "b"))["request"]!["headers"]!;

        Assert.Equal("test.docs.example.com", headers["host"]!["value"]!.GetValue<string>());
        Assert.Equal("text/html", headers["accept"]!["value"]!.GetValue<string>());
        Assert.Null(headers["accept"]!["multiValue"]);
        Assert.Equal("a", headers["x-tag"]!["value"]!.GetValue<string>());
        Assert.Equal(["a", "b"], headers["x-tag"]!["multiValue"]!.AsArray().Select(v => v!["value"]!.GetValue<string>()));
    }

    [Fact]
    public void Cookies_leave_the_headers_for_their_own_object()
    {
        var request = Build("", ("Cookie", "session=abc; theme=dark"))["request"]!;

        Assert.Null(request["headers"]!["cookie"]);
        Assert.Equal("abc", request["cookies"]!["session"]!["value"]!.GetValue<string>());
        Assert.Equal("dark", request["cookies"]!["theme"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void The_query_string_is_parsed_as_sent_and_rebuilt_the_same()
    {
        var querystring = Build("q=a%20b&flag&tag=1&tag=2")["request"]!["querystring"]!;

        Assert.Equal("a%20b", querystring["q"]!["value"]!.GetValue<string>());
        Assert.Equal("", querystring["flag"]!["value"]!.GetValue<string>());
        Assert.Equal(["1", "2"], querystring["tag"]!["multiValue"]!.AsArray().Select(v => v!["value"]!.GetValue<string>()));
        Assert.Equal("q=a%20b&flag&tag=1&tag=2", ViewerRequestEvent.QueryString(querystring));
    }
}
