using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Workflow;
using Portal.Identity.BuiltIn;

namespace Portal.Tests.Identity;

/// <summary>
/// A browser made of an <see cref="HttpClient"/> with a cookie jar that follows redirects itself, so a test sees every
/// hop of a sign-in through the built-in provider (portal → /connect/authorize → sign-in pages → /signin-oidc → back).
/// </summary>
public sealed partial class HttpBrowser : IDisposable
{
    private readonly HttpClient _client;

    public HttpBrowser(LivePortal portal)
    {
        ArgumentNullException.ThrowIfNull(portal);
        Portal = portal;
        Cookies = new CookieContainer();
        _client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = Cookies }) { BaseAddress = portal.BaseAddress };
    }

    public LivePortal Portal { get; }

    public CookieContainer Cookies { get; }

    /// <summary>The value of the portal's cookie <paramref name="name"/> in this jar, if any.</summary>
    public string? Cookie(string name) => Cookies.GetCookies(Portal.BaseAddress).FirstOrDefault(c => c.Name == name)?.Value;

    /// <summary>Every response on the way, the last one first when read with <c>[^1]</c>.</summary>
    public async Task<IReadOnlyList<HttpResponseMessage>> FollowAsync(string path, int maxHops = 12)
    {
        var hops = new List<HttpResponseMessage>();
        var next = new Uri(Portal.BaseAddress, path);
        for (var i = 0; i < maxHops; i++)
        {
            var response = await _client.GetAsync(next);
            hops.Add(response);
            if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.MovedPermanently or HttpStatusCode.TemporaryRedirect)
                || response.Headers.Location is not { } location)
            {
                return hops;
            }

            var target = location.IsAbsoluteUri ? location : new Uri(next, location);
            // Another site, or the portal's answer after /signin-oidc (the return address): that hop is what tests judge.
            if (target.Authority != Portal.BaseAddress.Authority || next.AbsolutePath == "/signin-oidc")
            {
                return hops;
            }

            next = target;
        }

        return hops;
    }

    public Task<HttpResponseMessage> GetAsync(string path) => _client.GetAsync(new Uri(path, UriKind.Relative));

    /// <summary>Posts a form of <paramref name="page"/> (read first for its antiforgery token) with <paramref name="fields"/>.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string page, string action, params (string Name, string Value)[] fields)
    {
        var html = await _client.GetStringAsync(new Uri(page, UriKind.Relative));
        var token = AntiforgeryField().Match(html);
        Assert.True(token.Success, $"{page} has no antiforgery token");
        var form = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value)));
        using var content = new FormUrlEncodedContent(form);
        return await _client.PostAsync(new Uri(action, UriKind.Relative), content);
    }

    /// <summary>
    /// Signs in at the provider's pages with password and <paramref name="code"/>, starting from the portal's
    /// <c>/account/signin?returnUrl=</c>; returns every hop after the code step (the last is /signin-oidc's answer).
    /// </summary>
    public async Task<IReadOnlyList<HttpResponseMessage>> SignInAsync(string email, string password, string code, string returnUrl = "/")
    {
        var start = await FollowAsync("/account/signin?returnUrl=" + Uri.EscapeDataString(returnUrl));
        var login = start[^1].RequestMessage!.RequestUri!;
        Assert.Equal("/account/login", login.AbsolutePath);
        var back = System.Web.HttpUtility.ParseQueryString(login.Query)["ReturnUrl"] ?? System.Web.HttpUtility.ParseQueryString(login.Query)["returnUrl"];
        Assert.NotNull(back);
        var password1 = await PostFormAsync("/account/login", "/account/login", ("Email", email), ("Password", password), ("ReturnUrl", back));
        Assert.True(password1.StatusCode == HttpStatusCode.Redirect, $"the password step answered {(int)password1.StatusCode}");
        var codeStep = await PostFormAsync("/account/login", "/account/login-code", ("Code", code), ("ReturnUrl", back));
        if (codeStep.StatusCode != HttpStatusCode.Redirect)
        {
            return [codeStep];
        }

        var rest = await FollowAsync(codeStep.Headers.Location!.OriginalString);
        return [codeStep, .. rest];
    }

    /// <summary>An enrolled user of the built-in provider with <paramref name="roles"/> (none: a person nobody gave a role); returns the authenticator key.</summary>
    public static async Task<string> EnrolledUserAsync(LivePortal portal, string email, string password, params PortalRole[] roles)
    {
        ArgumentNullException.ThrowIfNull(portal);
        return (await portal.EnrolledUserAsync(email, email.Split('@')[0], password, roles)).AuthenticatorKey;
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
