using System.Net;
using Portal.Core.Headers;

namespace Portal.Tests.Web;

/// <summary>
/// Over HTTPS the sign-in page, the first page with a form, sets its antiforgery cookie Secure (and HttpOnly), and its
/// headers grade A+ under the MDN HTTP Observatory scoring.
/// </summary>
public sealed class AntiforgeryCookieTests
{
    [Fact]
    public async Task The_sign_in_page_over_https_sets_a_secure_antiforgery_cookie_and_grades_A_plus()
    {
        await using var https = new HttpsPortal();
        using var client = https.Client();

        using var response = await client.GetAsync(new Uri("/account/login", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var antiforgery = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        var attributes = antiforgery.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.Contains("secure", attributes);
        Assert.Contains("httponly", attributes);
        var headers = response.Headers.Concat(response.Content.Headers).SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v)));
        var grade = ObservatoryGrader.Grade(headers, RedirectionOutcome.NotNeededNoHttp);
        Assert.True(grade.Grade == "A+", $"{grade.Grade} {grade.Score}: " + string.Join("; ", grade.Penalties.Select(p => $"{p.Result} {p.Modifier}")));
    }
}
