using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Identity;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Identity;
using Portal.Identity.BuiltIn;
using Portal.Infrastructure.Requests;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Identity;

/// <summary>
/// Every endpoint the portal routes (pages, account and provider endpoints, the API, the Blazor hub, static files),
/// taken from the app's own <see cref="EndpointDataSource"/> by route and HTTP methods, asked by every
/// <see cref="Persona"/>; the outcome must be the one in <see cref="Expected"/>. A new endpoint without a row, or a new
/// persona without an expectation in every rule, fails this test until someone decides who may reach it.
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

    /// <summary>
    /// What the sample request is about: a request of <see cref="Persona.Requester"/>, made afresh for each persona when
    /// the call changes it (the service account's own, when it is the one asking).
    /// </summary>
    public enum Target
    {
        None,

        /// <summary>One draft for every persona: the call only reads it.</summary>
        SharedDraft,

        /// <summary>A new draft per persona, for calls that change it.</summary>
        FreshDraft,

        /// <summary>A new submitted site per persona, for content calls (a draft has no content yet for anyone).</summary>
        FreshSubmitted,
    }

    public sealed record Row(string Method, string Path, Dictionary<Persona, Outcome> Rule, Target Target = Target.None, Func<string, HttpContent>? Body = null);

    /// <summary>A request the matrix made, and its host name (an edit must name the same host).</summary>
    private sealed record Made(Guid Id, string Host);

    private static readonly Persona[] Everyone = Enum.GetValues<Persona>();

    /// <summary>
    /// Needs a session with MFA and a portal role; a browser is sent to sign in, then told what is missing. A service
    /// account has only its bearer token, which no page takes: it is sent to sign in like anyone without a session.
    /// </summary>
    private static readonly Dictionary<Persona, Outcome> Page = Rule(
        anonymous: Outcome.ToSignIn, withoutMfa: Outcome.ToMfaRequired, withoutRole: Outcome.ToAccessDenied,
        requester: Outcome.Allowed, otherRequester: Outcome.Allowed, approver: Outcome.Allowed, admin: Outcome.Allowed,
        serviceAccount: Outcome.ToSignIn);

    /// <summary>Blazor's hub: the same rule, but as status codes (a script, not a person, is asking).</summary>
    private static readonly Dictionary<Persona, Outcome> Hub = Rule(
        anonymous: Outcome.Unauthorized, withoutMfa: Outcome.Forbidden, withoutRole: Outcome.Forbidden,
        requester: Outcome.Allowed, otherRequester: Outcome.Allowed, approver: Outcome.Allowed, admin: Outcome.Allowed,
        serviceAccount: Outcome.Unauthorized);

    /// <summary>Any session, MFA or not: what a person without MFA or role needs to understand and leave.</summary>
    private static readonly Dictionary<Persona, Outcome> AnySession = Rule(
        anonymous: Outcome.ToSignIn, withoutMfa: Outcome.Allowed, withoutRole: Outcome.Allowed,
        requester: Outcome.Allowed, otherRequester: Outcome.Allowed, approver: Outcome.Allowed, admin: Outcome.Allowed,
        serviceAccount: Outcome.ToSignIn);

    /// <summary>Admins only; others with MFA are told they lack the role.</summary>
    private static readonly Dictionary<Persona, Outcome> AdminPage = Rule(
        anonymous: Outcome.ToSignIn, withoutMfa: Outcome.ToMfaRequired, withoutRole: Outcome.ToAccessDenied,
        requester: Outcome.ToAccessDenied, otherRequester: Outcome.ToAccessDenied, approver: Outcome.ToAccessDenied, admin: Outcome.Allowed,
        serviceAccount: Outcome.ToSignIn);

    private static readonly Dictionary<Persona, Outcome> Public = Rule(
        anonymous: Outcome.Allowed, withoutMfa: Outcome.Allowed, withoutRole: Outcome.Allowed,
        requester: Outcome.Allowed, otherRequester: Outcome.Allowed, approver: Outcome.Allowed, admin: Outcome.Allowed,
        serviceAccount: Outcome.Allowed);

    /// <summary>API, bearer token with MFA and any portal role, as every page: reading, and what the workflow decides per request.</summary>
    private static readonly Dictionary<Persona, Outcome> ApiAnyRole = Rule(
        anonymous: Outcome.Unauthorized, withoutMfa: Outcome.Forbidden, withoutRole: Outcome.Forbidden,
        requester: Outcome.Allowed, otherRequester: Outcome.Allowed, approver: Outcome.Allowed, admin: Outcome.Allowed,
        serviceAccount: Outcome.Allowed);

    /// <summary>API, creating a request: Requester or Admin, as the new-request pages' service.</summary>
    private static readonly Dictionary<Persona, Outcome> ApiCreate = Rule(
        anonymous: Outcome.Unauthorized, withoutMfa: Outcome.Forbidden, withoutRole: Outcome.Forbidden,
        requester: Outcome.Allowed, otherRequester: Outcome.Allowed, approver: Outcome.Forbidden, admin: Outcome.Allowed,
        serviceAccount: Outcome.Allowed);

    /// <summary>
    /// API, changing a request or its content: its owner or an admin. A service account acts on its own requests (the
    /// fresh targets are its own when it asks); <see cref="A_service_account_is_refused_others_requests_and_every_decision"/>
    /// covers the rest.
    /// </summary>
    private static readonly Dictionary<Persona, Outcome> ApiOwnerOrAdmin = Rule(
        anonymous: Outcome.Unauthorized, withoutMfa: Outcome.Forbidden, withoutRole: Outcome.Forbidden,
        requester: Outcome.Allowed, otherRequester: Outcome.Forbidden, approver: Outcome.Forbidden, admin: Outcome.Allowed,
        serviceAccount: Outcome.Allowed);

    /// <summary>
    /// API, asking for work on a request that changes nothing (a drift check now): its owner, an approver or an admin.
    /// The shared draft is the requester's, so a service account is refused as another requester is.
    /// </summary>
    private static readonly Dictionary<Persona, Outcome> ApiOwnerApproverOrAdmin = Rule(
        anonymous: Outcome.Unauthorized, withoutMfa: Outcome.Forbidden, withoutRole: Outcome.Forbidden,
        requester: Outcome.Allowed, otherRequester: Outcome.Forbidden, approver: Outcome.Allowed, admin: Outcome.Allowed,
        serviceAccount: Outcome.Forbidden);

    /// <summary>API for admins (teams and zones, template upgrades, AWS accounts): the Admin role only; a service account is never an admin.</summary>
    private static readonly Dictionary<Persona, Outcome> ApiAdmin = Rule(
        anonymous: Outcome.Unauthorized, withoutMfa: Outcome.Forbidden, withoutRole: Outcome.Forbidden,
        requester: Outcome.Forbidden, otherRequester: Outcome.Forbidden, approver: Outcome.Forbidden, admin: Outcome.Allowed,
        serviceAccount: Outcome.Forbidden);

    private static readonly Guid Nobody = Guid.Empty;

    /// <summary>"METHODS route pattern" (as the endpoint data source has them) -> the sample request and who gets what.</summary>
    private static readonly Dictionary<string, Row> Expected = new(StringComparer.Ordinal)
    {
        ["GET,POST /"] = new("GET", "/", Page),
        ["GET,POST /error"] = new("GET", "/error", Page),
        ["GET,POST /not-found"] = new("GET", "/not-found", Page),
        ["GET,POST /requests"] = new("GET", "/requests", Page),
        ["GET,POST /requests/mine"] = new("GET", "/requests/mine", Page),
        ["GET,POST /requests/new/site"] = new("GET", "/requests/new/site", Page),
        ["GET,POST /requests/new/mta-sts"] = new("GET", "/requests/new/mta-sts", Page),
        ["GET,POST /requests/{Id:guid}"] = new("GET", "/requests/{id}", Page, Target.SharedDraft),
        ["GET,POST /requests/{Id:guid}/edit"] = new("GET", "/requests/{id}/edit", Page, Target.SharedDraft),
        ["GET,POST /requests/{Id:guid}/tls-reports"] = new("GET", "/requests/{id}/tls-reports", Page, Target.SharedDraft),
        ["GET,POST /approvals"] = new("GET", "/approvals", Page),
        ["GET,POST /admin/users"] = new("GET", "/admin/users", AdminPage),
        ["GET,POST /admin/security-events"] = new("GET", "/admin/security-events", AdminPage),
        ["GET,POST /admin/service-accounts"] = new("GET", "/admin/service-accounts", AdminPage),
        ["GET,POST /admin/teams-zones"] = new("GET", "/admin/teams-zones", AdminPage),
        ["GET,POST /admin/adopt"] = new("GET", "/admin/adopt", AdminPage),
        ["GET,POST /admin/template-upgrades"] = new("GET", "/admin/template-upgrades", AdminPage),
        ["GET,POST /admin/template-upgrades/{Id:guid}"] = new("GET", $"/admin/template-upgrades/{Nobody}", AdminPage),
        ["GET,POST /admin/accounts"] = new("GET", "/admin/accounts", AdminPage),
        ["GET,POST /health"] = new("GET", "/health", Page),
        ["GET,POST /health/{Id:guid}"] = new("GET", $"/health/{Nobody}", Page),
        ["GET,POST /audit"] = new("GET", "/audit", Page),
        ["GET,POST /api-reference"] = new("GET", "/api-reference", Page),
        ["GET,POST /account/notifications"] = new("GET", "/account/notifications", Page),
        ["GET /audit/export.csv"] = new("GET", "/audit/export.csv", Page),
        ["GET /stacks/shared.zip"] = new("GET", "/stacks/shared.zip", Page),
        ["GET /requests/{id:guid}/stacks/{environment}/{stack}.zip"] = new("GET", "/requests/{id}/stacks/testing/site.zip", Page, Target.SharedDraft),
        ["GET /_framework/opaque-redirect"] = new("GET", "/_framework/opaque-redirect", Page),
        ["GET,HEAD {**path:file}"] = new("GET", "/no-such-file.txt", Page),
        ["* /_blazor"] = new("POST", "/_blazor", Hub),
        ["* /_blazor/negotiate"] = new("POST", "/_blazor/negotiate?negotiateVersion=1", Hub),
        ["* /_blazor/disconnect/"] = new("POST", "/_blazor/disconnect/", Hub),
        ["* /_blazor/initializers/"] = new("GET", "/_blazor/initializers/", Hub),
        ["GET /api/me"] = new("GET", "/api/me", ApiAnyRole),
        ["POST /api/v1/requests"] = new("POST", "/api/v1/requests", ApiCreate, Body: _ => ApiBody(RequestSpecJson.Serialize(TestSpecs.Site(NewHost())))),
        ["GET /api/v1/requests"] = new("GET", "/api/v1/requests", ApiAnyRole),
        ["GET /api/v1/requests/{id:guid}"] = new("GET", "/api/v1/requests/{id}", ApiAnyRole, Target.SharedDraft),
        ["POST /api/v1/requests/{id:guid}/revisions"] = new("POST", "/api/v1/requests/{id}/revisions", ApiOwnerOrAdmin, Target.FreshDraft, Body: SameSpec),
        ["POST /api/v1/requests/{id:guid}/revisions/{number:int}/restore"] = new("POST", "/api/v1/requests/{id}/revisions/1/restore", ApiOwnerOrAdmin, Target.FreshSubmitted),
        ["GET /api/v1/requests/{id:guid}/content-versions"] = new("GET", "/api/v1/requests/{id}/content-versions", ApiAnyRole, Target.SharedDraft),
        ["POST /api/v1/requests/{id:guid}/content-versions/{number:int}/restore"] = new("POST", "/api/v1/requests/{id}/content-versions/1/restore", ApiOwnerOrAdmin, Target.FreshSubmitted),
        ["POST /api/v1/requests/{id:guid}/content/adopted-copy"] = new("POST", "/api/v1/requests/{id}/content/adopted-copy", ApiOwnerOrAdmin, Target.FreshSubmitted),
        ["POST /api/v1/requests/{id:guid}/actions/{action}"] = new("POST", "/api/v1/requests/{id}/actions/submit", ApiOwnerOrAdmin, Target.FreshDraft),
        ["GET /api/v1/requests/{id:guid}/promotion-preview"] = new("GET", "/api/v1/requests/{id}/promotion-preview", ApiAnyRole, Target.SharedDraft),
        ["GET /api/v1/requests/{id:guid}/preflight"] = new("GET", "/api/v1/requests/{id}/preflight?environment=testing", ApiAnyRole, Target.SharedDraft),
        ["GET /api/v1/requests/{id:guid}/plan"] = new("GET", "/api/v1/requests/{id}/plan", ApiAnyRole, Target.SharedDraft),
        ["GET /api/v1/requests/{id:guid}/drift"] = new("GET", "/api/v1/requests/{id}/drift", ApiAnyRole, Target.SharedDraft),
        ["POST /api/v1/requests/{id:guid}/drift-checks"] = new("POST", "/api/v1/requests/{id}/drift-checks", ApiOwnerApproverOrAdmin, Target.SharedDraft),
        ["GET /api/v1/template-upgrades"] = new("GET", "/api/v1/template-upgrades", ApiAdmin),
        ["POST /api/v1/template-upgrades"] = new("POST", "/api/v1/template-upgrades", ApiAdmin, Body: _ => ApiBody("{\"requests\":[]}")),
        ["GET /api/v1/template-upgrades/{id:guid}"] = new("GET", $"/api/v1/template-upgrades/{Nobody}", ApiAdmin),
        ["GET /api/v1/health/{name}"] = new("GET", "/api/v1/health/example.com?kind=mail", ApiAnyRole),
        ["GET /api/v1/openapi.json"] = new("GET", "/api/v1/openapi.json", ApiAnyRole),
        ["GET /api/v1/zones"] = new("GET", "/api/v1/zones", ApiAnyRole),
        ["GET /api/v1/admin/zones"] = new("GET", "/api/v1/admin/zones", ApiAdmin),
        ["PUT /api/v1/admin/zones/{zoneId}/grants/{grantee}"] = new("PUT", "/api/v1/admin/zones/ZMATRIX/grants/everyone", ApiAdmin,
            Body: _ => ApiBody("{\"zoneName\":\"matrix.example\"}")),
        ["DELETE /api/v1/admin/zones/{zoneId}/grants/{grantee}"] = new("DELETE", "/api/v1/admin/zones/ZMATRIX/grants/everyone", ApiAdmin),
        ["GET /api/v1/admin/teams"] = new("GET", "/api/v1/admin/teams", ApiAdmin),
        ["PUT /api/v1/admin/teams/{teamId}"] = new("PUT", "/api/v1/admin/teams/matrix", ApiAdmin, Body: _ => ApiBody("{\"name\":\"Matrix\"}")),
        ["PUT /api/v1/admin/teams/{teamId}/{list:regex(^(members|approvers)$)}/{personId}"] = new("PUT", "/api/v1/admin/teams/matrix/members/someone", ApiAdmin,
            Body: _ => ApiBody("{\"name\":\"Someone\"}")),
        ["DELETE /api/v1/admin/teams/{teamId}/{list:regex(^(members|approvers)$)}/{personId}"] = new("DELETE", "/api/v1/admin/teams/matrix/members/someone", ApiAdmin),

        // An admin's sample changes are refused for their content (no account is registered or removed).
        ["GET /api/v1/accounts/"] = new("GET", "/api/v1/accounts", ApiAdmin),
        // An admin's sample is refused for its content (the domain is not a host name), so nothing is read or adopted.
        ["POST /api/v1/adoptions"] = new("POST", "/api/v1/adoptions", ApiAdmin, Body: _ => ApiBody("{\"domain\":\"not a domain\",\"ownerId\":\"alice\"}")),
        ["POST /api/v1/accounts/"] = new("POST", "/api/v1/accounts", ApiAdmin, Body: _ => ApiBody("{\"name\":\"matrix\"}")),
        ["PUT /api/v1/accounts/{name}"] = new("PUT", "/api/v1/accounts/nobody", ApiAdmin, Body: _ => ApiBody("{}")),
        ["DELETE /api/v1/accounts/{name}"] = new("DELETE", "/api/v1/accounts/nobody", ApiAdmin),
        ["POST /api/v1/sites/{id:guid}/content"] = new("POST", "/api/v1/sites/{id}/content", ApiOwnerOrAdmin, Target.FreshSubmitted,
            Body: _ => new ByteArrayContent([]) { Headers = { ContentType = new MediaTypeHeaderValue("application/zip") } }),
        ["POST /api/v1/sites/{id:guid}/content/record"] = new("POST", "/api/v1/sites/{id}/content/record", ApiOwnerOrAdmin, Target.FreshSubmitted),
        ["GET /api/v1/sites/{id:guid}/content"] = new("GET", "/api/v1/sites/{id}/content", ApiAnyRole, Target.SharedDraft),
        ["GET /api/v1/sites/{id:guid}/content/approval"] = new("GET", "/api/v1/sites/{id}/content/approval", ApiAnyRole, Target.SharedDraft),
        ["GET /api/v1/sites/{id:guid}/content/{version:guid}"] = new("GET", $"/api/v1/sites/{{id}}/content/{Nobody}", ApiAnyRole, Target.SharedDraft),
        ["GET /account/me"] = new("GET", "/account/me", Page),
        ["GET /account/signin"] = new("GET", "/account/signin?returnUrl=%2F", Public),
        ["GET /account/step-up"] = new("GET", "/account/step-up?returnUrl=%2F", AnySession),
        ["POST /account/signout"] = new("POST", "/account/signout", AnySession),
        ["* account/mfa-required"] = new("GET", "/account/mfa-required", AnySession),
        ["* account/access-denied"] = new("GET", "/account/access-denied", AnySession),
        ["* account/signed-out"] = new("GET", "/account/signed-out", Public),
        ["* account/sign-in-failed"] = new("GET", "/account/sign-in-failed", Public),
        ["* account/login"] = new("GET", "/account/login", Public),
        ["* account/login-code"] = new("GET", "/account/login-code", Public),
        ["* account/enrol"] = new("GET", "/account/enrol", Public),
        ["* account/invite"] = new("GET", "/account/invite", Public),
        ["GET,POST /connect/authorize"] = new("GET", "/connect/authorize", Public),
        ["GET,POST /connect/logout"] = new("GET", "/connect/logout", Public),
        ["GET,POST /connect/verify"] = new("GET", "/connect/verify", Public),

        // Sending mail servers post TLS reports without any sign-in (RFC 8460 section 5.3); the endpoint takes only managed domains.
        ["POST /tlsrpt/v1/{domain}"] = new("POST", "/tlsrpt/v1/none.example.com", Public),
    };

    [Fact]
    public async Task Every_endpoint_answers_each_persona_as_the_table_says()
    {
        await using var portal = new LivePortal();
        var endpoints = portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var staticFiles = endpoints.Where(IsStaticFile).ToList();
        var routed = endpoints.Except(staticFiles).Select(Key).Distinct().ToList();

        var unmatched = routed.Where(k => !Expected.ContainsKey(k)).Select(k => $"no expected row for endpoint '{k}'")
            .Concat(Expected.Keys.Where(k => !routed.Contains(k)).Select(k => $"row '{k}' names no endpoint any more"))
            .ToList();
        Assert.True(unmatched.Count == 0, string.Join(Environment.NewLine, unmatched));
        Assert.Empty(Expected.Where(row => !row.Key.Split(' ')[0].Split(',').Contains(row.Value.Method) && !row.Key.StartsWith('*'))
            .Select(row => $"row '{row.Key}' sends {row.Value.Method}, which the endpoint does not take"));
        Assert.NotEmpty(staticFiles);

        var rows = Expected.Values.ToList();
        rows.AddRange(staticFiles.Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).Distinct().Select(file => new Row("GET", file, Public)));
        Assert.Empty(rows.SelectMany(row => Everyone.Where(p => !row.Rule.ContainsKey(p)).Select(p => $"{row.Method} {row.Path} has no expectation for {p}")));

        var pipeline = await ServiceAccountAsync(portal);
        var shared = await RequestOfAsync(portal, submit: false);
        var none = new Made(Nobody, "none.example.com");
        var failures = new List<string>();
        foreach (var row in rows)
        {
            foreach (var persona in Everyone)
            {
                var target = row.Target switch
                {
                    Target.SharedDraft => shared,
                    Target.FreshDraft => await RequestOfAsync(portal, submit: false, OwnerFor(persona, pipeline)),
                    Target.FreshSubmitted => await RequestOfAsync(portal, submit: true, OwnerFor(persona, pipeline)),
                    _ => none,
                };
                await AskAsync(portal, row, target, persona, Credential(row), row.Rule[persona], failures, pipeline);

                // The other kind of credential, even an admin's, opens nothing: pages take no bearer token, the API no cookie.
                if (persona == Persona.Admin && row.Rule != Public)
                {
                    await AskAsync(portal, row, target, persona, Credential(row) == Kind.Bearer ? Kind.Cookie : Kind.Bearer, row.Rule[Persona.Anonymous], failures, pipeline);
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
            .Select(Key)
            .Order()
            .ToList();

        Assert.Equal(
            Expected.Where(row => row.Value.Rule == Public).Select(row => row.Key).Order(),
            anonymous);
    }

    [Fact]
    public async Task A_service_account_is_refused_others_requests_and_every_decision()
    {
        await using var portal = new LivePortal();
        var pipeline = await ServiceAccountAsync(portal);
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = portal.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", pipeline.Token);

        var own = await RequestOfAsync(portal, submit: false, pipeline.Actor);
        Assert.Equal(HttpStatusCode.OK, await ActAsync(client, own, "submit", null));
        foreach (var decision in new[] { "promote", "reject", "approve-decommission", "decommission" })
        {
            Assert.Equal((decision, HttpStatusCode.Forbidden), (decision, await ActAsync(client, own, decision, "no")));
        }

        Assert.Equal(HttpStatusCode.OK, await ActAsync(client, own, "withdraw", "the pipeline is done with it"));

        // A requester's draft and submitted site: the service account changes neither.
        var othersDraft = await RequestOfAsync(portal, submit: false);
        foreach (var (action, reason) in new[] { ("withdraw", "not mine"), ("submit", null), ("promote", null) })
        {
            Assert.Equal((action, HttpStatusCode.Forbidden), (action, await ActAsync(client, othersDraft, action, reason)));
        }

        using var edit = await client.PostAsync(new Uri($"/api/v1/requests/{othersDraft.Id}/revisions", UriKind.Relative), SameSpec(othersDraft.Host));
        Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);
        var othersSite = await RequestOfAsync(portal, submit: true);
        using var upload = await client.PostAsync(new Uri($"/api/v1/sites/{othersSite.Id}/content", UriKind.Relative),
            new ByteArrayContent([]) { Headers = { ContentType = new MediaTypeHeaderValue("application/zip") } });
        Assert.Equal(HttpStatusCode.Forbidden, upload.StatusCode);
    }

    private static async Task<HttpStatusCode> ActAsync(HttpClient client, Made request, string action, string? reason)
    {
        using var body = ApiBody(System.Text.Json.JsonSerializer.Serialize(new { reason }));
        using var response = await client.PostAsync(new Uri($"/api/v1/requests/{request.Id}/actions/{action}", UriKind.Relative), body);
        return response.StatusCode;
    }

    private enum Kind
    {
        Cookie,
        Bearer,
    }

    private static Kind Credential(Row row) => row.Path.StartsWith("/api/", StringComparison.Ordinal) ? Kind.Bearer : Kind.Cookie;

    private static async Task AskAsync(LivePortal portal, Row row, Made target, Persona persona, Kind kind, Outcome expected, List<string> failures, Pipeline pipeline)
    {
        var path = row.Path.Replace("{id}", target.Id.ToString(), StringComparison.Ordinal);
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = portal.BaseAddress };
        if (persona == Persona.ServiceAccount)
        {
            // All a service account has: its client-credentials token, on pages and API alike.
            kind = Kind.Bearer;
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", pipeline.Token);
        }
        else if (persona != Persona.Anonymous)
        {
            var claims = Sessions.TokenClaims(persona);
            if (kind == Kind.Cookie)
            {
                client.DefaultRequestHeaders.Add("Cookie", $".portal.session={Sessions.CookieValue(portal.Services, claims)}");
            }
            else
            {
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Sessions.BearerToken(portal.Services, claims));
            }
        }

        using var request = new HttpRequestMessage(new HttpMethod(row.Method), path) { Content = row.Body?.Invoke(target.Host) };
        using var response = await client.SendAsync(request);
        var outcome = Classify(response);
        var asked = $"{row.Method} {path} as {persona} with a {kind.ToString().ToLowerInvariant()}";
        if (response.StatusCode == HttpStatusCode.InternalServerError)
        {
            failures.Add($"{asked}: server error {await response.Content.ReadAsStringAsync()}");
        }
        else if (outcome != expected)
        {
            failures.Add($"{asked}: expected {expected}, got {outcome} ({(int)response.StatusCode} {response.Headers.Location} {await response.Content.ReadAsStringAsync()})");
        }
        else if (path.StartsWith("/api/", StringComparison.Ordinal) && (int)response.StatusCode >= 400
            && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            failures.Add($"{asked}: {(int)response.StatusCode} is not a problem document ({response.Content.Headers.ContentType})");
        }
    }

    /// <summary>A request of <paramref name="owner"/> (else <see cref="Persona.Requester"/>), made through the same service the pages and the API use.</summary>
    private static async Task<Made> RequestOfAsync(LivePortal portal, bool submit, Actor? owner = null)
    {
        var identity = portal.Services.GetRequiredService<SignInRules>().CreateSessionIdentity(Sessions.TokenClaims(Persona.Requester), PortalSchemes.Session, null);
        owner ??= ActorFactory.FromPrincipal(new ClaimsPrincipal(identity))!;
        var host = NewHost();
        var result = await portal.Services.GetRequiredService<RequestService>().CreateAsync(TestSpecs.Site(host), owner, submit);
        Assert.True(result.Succeeded, result.Message);
        return new Made(result.RequestId, host);
    }

    /// <summary>A service account as an admin makes it, and the token the token endpoint gives it for its id and secret.</summary>
    private sealed record Pipeline(Actor Actor, string Token);

    private static async Task<Pipeline> ServiceAccountAsync(LivePortal portal)
    {
        ServiceAccountSecret account;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var admin = Actor.Person("adm-matrix", "Ada Admin", DateTimeOffset.UtcNow, PortalRole.Admin);
            var created = await scope.ServiceProvider.GetRequiredService<Portal.Identity.BuiltIn.ServiceAccounts>().CreateAsync("Matrix pipeline", admin);
            Assert.True(created.Succeeded, created.Problem);
            account = created.Secret!;
        }

        using var client = new HttpClient { BaseAddress = portal.BaseAddress };
        using var body = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = account.ClientId,
            ["client_secret"] = account.Secret,
        });
        using var response = await client.PostAsync(new Uri("/connect/token", UriKind.Relative), body);
        var answer = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.True(response.IsSuccessStatusCode, answer.ToString());
        return new Pipeline(Actor.ServiceAccount(account.ClientId, $"{account.Name} (service account)"), answer.GetProperty("access_token").GetString()!);
    }

    private static Actor? OwnerFor(Persona persona, Pipeline pipeline) => persona == Persona.ServiceAccount ? pipeline.Actor : null;

    private static string NewHost() => $"m-{Guid.NewGuid():N}.example.com";

    private static StringContent ApiBody(string json) => new StringContent(json, System.Text.Encoding.UTF8, "application/json");

    /// <summary>The draft's own spec again: an edit only its owner or an admin may make.</summary>
    private static StringContent SameSpec(string host) => ApiBody(RequestSpecJson.Serialize(TestSpecs.Site(host)));

    private static Dictionary<Persona, Outcome> Rule(
        Outcome anonymous, Outcome withoutMfa, Outcome withoutRole, Outcome requester, Outcome otherRequester, Outcome approver, Outcome admin,
        Outcome serviceAccount) => new()
    {
        [Persona.Anonymous] = anonymous,
        [Persona.SignedInWithoutMfa] = withoutMfa,
        [Persona.WithoutRole] = withoutRole,
        [Persona.Requester] = requester,
        [Persona.OtherRequester] = otherRequester,
        [Persona.Approver] = approver,
        [Persona.Admin] = admin,
        [Persona.ServiceAccount] = serviceAccount,
    };

    /// <summary>"GET,POST /requests": the endpoint's HTTP methods (any: <c>*</c>) and its route pattern.</summary>
    private static string Key(RouteEndpoint endpoint)
    {
        var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods;
        return (methods is { Count: > 0 } ? string.Join(',', methods.Order(StringComparer.Ordinal)) : "*") + " " + endpoint.RoutePattern.RawText;
    }

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
