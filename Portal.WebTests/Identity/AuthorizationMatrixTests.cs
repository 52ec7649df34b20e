using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Tests.Identity;

/// <summary>
/// Every endpoint the portal routes (pages, account and provider endpoints, the API, the Blazor hub, static files),
/// taken from the app's own <see cref="EndpointDataSource"/>, asked by each kind of person; the outcome must be the
/// one in <see cref="Expected"/>. A new endpoint without a row fails this test until someone decides who may reach it.
/// </summary>
public sealed partial class AuthorizationMatrixTests
{
    public enum Outcome
    {
        Allowed,
        ToSignIn,
        ToMfaRequired,
        ToAccessDenied,
        Unauthorized,
        Forbidden,
    }

    private static readonly Persona[] Everyone = Enum.GetValues<Persona>();

    /// <summary>Needs a session with MFA; a browser is sent to sign in, a session without MFA to the page that says why.</summary>
    private static readonly Dictionary<Persona, Outcome> Page = Rule(Outcome.ToSignIn, Outcome.ToMfaRequired, Outcome.Allowed, Outcome.Allowed, Outcome.Allowed);

    /// <summary>Blazor's hub: the same rule, but as status codes (a script, not a person, is asking).</summary>
    private static readonly Dictionary<Persona, Outcome> Hub = Rule(Outcome.Unauthorized, Outcome.Forbidden, Outcome.Allowed, Outcome.Allowed, Outcome.Allowed);

    /// <summary>The API takes bearer tokens only: no cookie session, whoever it belongs to, gets in.</summary>
    private static readonly Dictionary<Persona, Outcome> BearerOnly = Rule(Outcome.Unauthorized, Outcome.Unauthorized, Outcome.Unauthorized, Outcome.Unauthorized, Outcome.Unauthorized);

    /// <summary>Any session, MFA or not: what a person without MFA needs to understand and leave.</summary>
    private static readonly Dictionary<Persona, Outcome> AnySession = Rule(Outcome.ToSignIn, Outcome.Allowed, Outcome.Allowed, Outcome.Allowed, Outcome.Allowed);

    /// <summary>Admins only; others with MFA are told they lack the role.</summary>
    private static readonly Dictionary<Persona, Outcome> AdminOnly = Rule(Outcome.ToSignIn, Outcome.ToMfaRequired, Outcome.ToAccessDenied, Outcome.ToAccessDenied, Outcome.Allowed);

    private static readonly Dictionary<Persona, Outcome> Public = Rule(Outcome.Allowed, Outcome.Allowed, Outcome.Allowed, Outcome.Allowed, Outcome.Allowed);

    /// <summary>Route pattern -> (method, sample path, who gets what).</summary>
    private static readonly Dictionary<string, (string Method, string Path, Dictionary<Persona, Outcome> Rule)> Expected = new(StringComparer.Ordinal)
    {
        ["/"] = ("GET", "/", Page),
        ["/error"] = ("GET", "/error", Page),
        ["/not-found"] = ("GET", "/not-found", Page),
        ["/requests"] = ("GET", "/requests", Page),
        ["/requests/mine"] = ("GET", "/requests/mine", Page),
        ["/requests/new/site"] = ("GET", "/requests/new/site", Page),
        ["/requests/new/mta-sts"] = ("GET", "/requests/new/mta-sts", Page),
        ["/requests/{Id:guid}"] = ("GET", $"/requests/{Guid.Empty}", Page),
        ["/requests/{Id:guid}/edit"] = ("GET", $"/requests/{Guid.Empty}/edit", Page),
        ["/approvals"] = ("GET", "/approvals", Page),
        ["/admin/users"] = ("GET", "/admin/users", AdminOnly),
        ["/health"] = ("GET", "/health", Page),
        ["/health/{Id:guid}"] = ("GET", $"/health/{Guid.Empty}", Page),
        ["/audit"] = ("GET", "/audit", Page),
        ["/audit/export.csv"] = ("GET", "/audit/export.csv", Page),
        ["/stacks/shared.zip"] = ("GET", "/stacks/shared.zip", Page),
        ["/requests/{id:guid}/stacks/{environment}/{stack}.zip"] = ("GET", $"/requests/{Guid.Empty}/stacks/testing/site.zip", Page),
        ["/_framework/opaque-redirect"] = ("GET", "/_framework/opaque-redirect", Page),
        ["{**path:file}"] = ("GET", "/no-such-file.txt", Page),
        ["/_blazor"] = ("POST", "/_blazor", Hub),
        ["/_blazor/negotiate"] = ("POST", "/_blazor/negotiate?negotiateVersion=1", Hub),
        ["/_blazor/disconnect/"] = ("POST", "/_blazor/disconnect/", Hub),
        ["/_blazor/initializers/"] = ("GET", "/_blazor/initializers/", Hub),
        ["/api/me"] = ("GET", "/api/me", BearerOnly),
        ["/api/v1/requests"] = ("POST", "/api/v1/requests", BearerOnly),
        ["/api/v1/requests/{id:guid}"] = ("GET", $"/api/v1/requests/{Guid.Empty}", BearerOnly),
        ["/api/v1/requests/{id:guid}/revisions"] = ("POST", $"/api/v1/requests/{Guid.Empty}/revisions", BearerOnly),
        ["/api/v1/requests/{id:guid}/actions/{action}"] = ("POST", $"/api/v1/requests/{Guid.Empty}/actions/promote", BearerOnly),
        ["/api/v1/requests/{id:guid}/promotion-preview"] = ("GET", $"/api/v1/requests/{Guid.Empty}/promotion-preview", BearerOnly),
        ["/api/v1/health/{name}"] = ("GET", "/api/v1/health/example.com?kind=mail", BearerOnly),
        ["/api/v1/openapi.json"] = ("GET", "/api/v1/openapi.json", BearerOnly),
        ["/api/v1/sites/{id:guid}/content"] = ("POST", $"/api/v1/sites/{Guid.Empty}/content", BearerOnly),
        ["/api/v1/sites/{id:guid}/content/record"] = ("POST", $"/api/v1/sites/{Guid.Empty}/content/record", BearerOnly),
        ["/api/v1/sites/{id:guid}/content/approval"] = ("GET", $"/api/v1/sites/{Guid.Empty}/content/approval", BearerOnly),
        ["/api/v1/sites/{id:guid}/content/{version:guid}"] = ("GET", $"/api/v1/sites/{Guid.Empty}/content/{Guid.Empty}", BearerOnly),
        ["/account/me"] = ("GET", "/account/me", Page),
        ["/account/signin"] = ("GET", "/account/signin?returnUrl=%2F", Public),
        ["/account/step-up"] = ("GET", "/account/step-up?returnUrl=%2F", AnySession),
        ["/account/signout"] = ("POST", "/account/signout", AnySession),
        ["account/mfa-required"] = ("GET", "/account/mfa-required", AnySession),
        ["account/access-denied"] = ("GET", "/account/access-denied", AnySession),
        ["account/signed-out"] = ("GET", "/account/signed-out", Public),
        ["account/sign-in-failed"] = ("GET", "/account/sign-in-failed", Public),
        ["account/login"] = ("GET", "/account/login", Public),
        ["account/login-code"] = ("GET", "/account/login-code", Public),
        ["account/enrol"] = ("GET", "/account/enrol", Public),
        ["account/invite"] = ("GET", "/account/invite", Public),
        ["/connect/authorize"] = ("GET", "/connect/authorize", Public),
        ["/connect/logout"] = ("GET", "/connect/logout", Public),
    };

    [Fact]
    public async Task Every_endpoint_answers_each_persona_as_the_table_says()
    {
        await using var portal = new LivePortal();
        var endpoints = portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var staticFiles = endpoints.Where(IsStaticFile).ToList();
        var routed = endpoints.Except(staticFiles).Select(e => e.RoutePattern.RawText ?? "").Distinct().ToList();

        Assert.Empty(routed.Where(p => !Expected.ContainsKey(p)).Select(p => $"no expected row for endpoint '{p}'"));
        Assert.Empty(Expected.Keys.Where(p => !routed.Contains(p)).Select(p => $"row '{p}' names no endpoint any more"));
        Assert.NotEmpty(staticFiles);

        var rows = Expected.Values.ToList();
        foreach (var file in staticFiles.Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).Distinct())
        {
            rows.Add(("GET", file, Public));
        }

        var clients = Everyone.ToDictionary(p => p, p => Sessions.ClientFor(portal, p));
        var failures = new List<string>();
        foreach (var (method, path, rule) in rows)
        {
            foreach (var persona in Everyone)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), portal.Url(path));
                using var response = await clients[persona].SendAsync(request);
                var outcome = Classify(response);
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"{method} {path} as {persona}: server error {(int)response.StatusCode}");
                }
                else if (outcome != rule[persona])
                {
                    failures.Add($"{method} {path} as {persona}: expected {rule[persona]}, got {outcome} ({(int)response.StatusCode} {response.Headers.Location})");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task Static_files_are_the_only_public_endpoints_besides_the_sign_in_path()
    {
        await using var portal = new LivePortal();
        var anonymous = portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null && !IsStaticFile(e))
            .Select(e => e.RoutePattern.RawText)
            .Order()
            .ToList();

        Assert.Equal(
            Expected.Where(row => row.Value.Rule == Public).Select(row => row.Key).Order(),
            anonymous);
    }

    private static Dictionary<Persona, Outcome> Rule(Outcome anonymous, Outcome noMfa, Outcome requester, Outcome approver, Outcome admin) => new()
    {
        [Persona.Anonymous] = anonymous,
        [Persona.SignedInWithoutMfa] = noMfa,
        [Persona.Requester] = requester,
        [Persona.Approver] = approver,
        [Persona.Admin] = admin,
    };

    /// <summary>Files from wwwroot and packages (fingerprinted names change with their content, so they are matched by kind).</summary>
    private static bool IsStaticFile(RouteEndpoint endpoint) =>
        endpoint.Metadata.Any(m => m.GetType().Name == "StaticAssetDescriptor") || StaticFile().IsMatch(endpoint.RoutePattern.RawText ?? "");

    private static Outcome Classify(HttpResponseMessage response)
    {
        switch (response.StatusCode)
        {
            case HttpStatusCode.Unauthorized:
                return Outcome.Unauthorized;
            case HttpStatusCode.Forbidden:
                return Outcome.Forbidden;
        }

        var location = response.Headers.Location;
        if ((int)response.StatusCode is >= 300 and < 400 && location is not null)
        {
            var path = location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?')[0];
            return path switch
            {
                "/account/signin" => Outcome.ToSignIn,
                "/account/mfa-required" => Outcome.ToMfaRequired,
                "/account/access-denied" => Outcome.ToAccessDenied,
                _ => Outcome.Allowed,
            };
        }

        return Outcome.Allowed;
    }

    [GeneratedRegex(@"^/?(_content|_framework)/[^{}]+\.[a-z0-9]+$|^/?[a-z0-9.-]+\.(css|js|gz|map|ico|png|svg)$")]
    private static partial Regex StaticFile();
}
