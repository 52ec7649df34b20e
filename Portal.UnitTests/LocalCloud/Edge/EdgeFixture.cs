using System.Text;
using Microsoft.Extensions.Time.Testing;
using Portal.LocalCloud.Edge;
using Portal.LocalCloud.Resources;

namespace Portal.Tests.LocalCloud.Edge;

/// <summary>The example site, its redirect name, the shared stack and an MTA-STS stack deployed, with some content.</summary>
internal sealed class EdgeFixture
{
    public const string Site = "test.docs.example.com";
    public const string Prefix = "testing/docs.example.com/";
    public const int HttpsPort = 8443;

    public EdgeFixture()
    {
        Index = DeployedStacks.Index([.. DeployedStacks.ExampleSite(), .. DeployedStacks.ExampleMtaStsHeaders(), DeployedStacks.ExampleMtaSts()]);
        S3 = new S3Service(new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero)));
        S3.CreateBucket(DeployedStacks.ContentBucket);
        S3.Put(DeployedStacks.ContentBucket, Prefix + "index.html", Page, "text/html; charset=utf-8");
        S3.Put(DeployedStacks.ContentBucket, Prefix + "guide/index.html", "<h1>Guide</h1>", "text/html");
        S3.Put(DeployedStacks.ContentBucket, Prefix + "assets/app.css", "body { color: black; }", "text/css", "max-age=15552000");
        S3.Put(DeployedStacks.ContentBucket, Prefix + "a b.txt", "spaced", "text/plain");
        Handler = new EdgeRequestHandler(Index, S3, new CloudFrontFunctionRuntime(TimeSpan.FromSeconds(5)), () => HttpsPort);
    }

    /// <summary>Large enough (over 1,000 bytes) for CloudFront to compress.</summary>
    public static string Page { get; } = "<!doctype html><title>Docs</title>" + string.Concat(Enumerable.Repeat("<p>Welcome to the docs.</p>\n", 60));

    public ResourceIndex Index { get; }

    public S3Service S3 { get; }

    public EdgeRequestHandler Handler { get; }

    public EdgeResponse Get(string host, string path, string query = "", bool https = true, string method = "GET", params (string Name, string Value)[] headers) =>
        Handler.Handle(new EdgeRequest(https, host, method, path, query,
            [new("Host", host), .. headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value))], "198.51.100.11"));

    public static string Text(EdgeResponse response) => Encoding.UTF8.GetString(response.Body);
}
