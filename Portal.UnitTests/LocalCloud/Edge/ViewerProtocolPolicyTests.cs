namespace Portal.Tests.LocalCloud.Edge;

/// <summary>
/// Over plain HTTP a real name meets the behaviour's viewer protocol policy (redirect-to-https: 301 to the HTTPS
/// port with the same host, path and query; https-only: 403), while a *.localhost name, the sandbox's browser path,
/// is served as it is.
/// </summary>
public sealed class ViewerProtocolPolicyTests
{
    private readonly EdgeFixture _edge = new();

    [Fact]
    public void Redirect_to_https_answers_301_to_the_https_port()
    {
        var response = _edge.Get(EdgeFixture.Site + ":8080", "/guide/", "a=1", https: false);

        Assert.Equal(301, response.Status);
        Assert.Equal("https://test.docs.example.com:8443/guide/?a=1", response.Headers["Location"]);
        Assert.Equal("CloudFront", response.Headers["Server"]);
        Assert.Equal("Redirect from cloudfront", response.Headers["X-Cache"]);
    }

    [Fact]
    public void Https_only_refuses_plain_http()
    {
        var response = _edge.Get("mta-sts.example.com", "/.well-known/mta-sts.txt", https: false);

        Assert.Equal(403, response.Status);
        Assert.Contains("The request could not be satisfied", EdgeFixture.Text(response), StringComparison.Ordinal);
    }

    [Fact]
    public void A_localhost_name_is_served_over_plain_http()
    {
        var response = _edge.Get(EdgeFixture.Site + ".localhost:8080", "/", https: false);

        Assert.Equal(200, response.Status);
        Assert.Equal(EdgeFixture.Page, EdgeFixture.Text(response));
    }

    [Fact]
    public void Https_is_served()
    {
        Assert.Equal(200, _edge.Get(EdgeFixture.Site, "/", https: true).Status);
        Assert.Equal(200, _edge.Get("mta-sts.example.com", "/.well-known/mta-sts.txt", https: true).Status);
    }
}
