using System.Net;
using Portal.Tests.Identity;

namespace Portal.Tests.Audit;

/// <summary>A request filter on the audit page that is not a request id is told to the person, not a server error.</summary>
public sealed class AuditLogUnreadableFilterTests
{
    [Theory]
    [InlineData("abc")]
    [InlineData("00000000-0000-0000-0000-00000000000g")]
    [InlineData("%3Cscript%3E")]
    public async Task The_page_says_the_filter_is_not_a_request_id(string filter)
    {
        await using var portal = new LivePortal();
        using var client = Sessions.ClientFor(portal, Persona.Requester);

        using var response = await client.GetAsync(new Uri("/audit?request=" + filter, UriKind.Relative));

        var page = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {page}");
        Assert.Contains("is not a request id", page, StringComparison.Ordinal);
    }
}
