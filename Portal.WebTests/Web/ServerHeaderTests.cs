using System.Net;

namespace Portal.Tests.Web;

/// <summary>Kestrel does not announce itself: no <c>Server</c> header on the portal's responses.</summary>
public sealed class ServerHeaderTests
{
    [Fact]
    public async Task Responses_carry_no_server_header()
    {
        await using var https = new HttpsPortal();
        using var client = https.Client();

        foreach (var path in new[] { "/healthz", "/account/login", "/no/such/page" })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

            Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.False(response.Headers.Contains("Server"), $"{path}: Server: {string.Join(", ", response.Headers.Server)}");
        }
    }
}
