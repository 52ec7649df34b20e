using System.Net;
using System.Text.RegularExpressions;

namespace Portal.Tests.Identity;

/// <summary>Posts the built-in provider's sign-in forms the way a browser does (cookies, antiforgery token), without one.</summary>
public sealed partial class SignInForm : IDisposable
{
    private readonly HttpClient _client;

    public SignInForm(LivePortal portal)
    {
        ArgumentNullException.ThrowIfNull(portal);
        _client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = portal.BaseAddress };
    }

    public Task<HttpResponseMessage> GetAsync(string path) => _client.GetAsync(new Uri(path, UriKind.Relative));

    /// <summary>Takes an antiforgery token from the sign-in page (as a browser holding it would have), then posts <paramref name="fields"/>.</summary>
    public async Task<HttpResponseMessage> PostAsync(string path, params (string Name, string Value)[] fields)
    {
        var page = await _client.GetStringAsync(new Uri("/account/login", UriKind.Relative));
        var token = AntiforgeryField().Match(page);
        Assert.True(token.Success, "the sign-in page has no antiforgery token");
        var form = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(new("__RequestVerificationToken", token.Groups[1].Value));
        using var content = new FormUrlEncodedContent(form);
        return await _client.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    /// <summary>Posts <paramref name="fields"/> with the antiforgery token of the page at <paramref name="pagePath"/>.</summary>
    public async Task<HttpResponseMessage> PostFromPageAsync(string pagePath, string path, params (string Name, string Value)[] fields)
    {
        var page = await _client.GetStringAsync(new Uri(pagePath, UriKind.Relative));
        var token = AntiforgeryField().Match(page);
        Assert.True(token.Success, $"the page {pagePath} has no antiforgery token: {page}");
        var form = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(new("__RequestVerificationToken", token.Groups[1].Value));
        using var content = new FormUrlEncodedContent(form);
        return await _client.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
