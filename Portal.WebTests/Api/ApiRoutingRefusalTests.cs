using System.Net;
using System.Text;
using Portal.Tests.Identity;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.Api;

/// <summary>
/// What routing refuses under /api (an unknown path, a method or Content-Type the operation does not take) is told
/// to a caller who may use the API as 404, 405 or 415 problem documents; without a token it stays a 401.
/// </summary>
public sealed class ApiRoutingRefusalTests : IAsyncLifetime
{
    private LivePortal _portal = null!;

    public Task InitializeAsync()
    {
        _portal = new LivePortal();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task A_body_of_the_wrong_content_type_is_a_415_problem_for_a_signed_in_caller()
    {
        using var requester = ApiTokens.Client(_portal, Persona.Requester);
        using var anonymous = ApiTokens.Client(_portal, Persona.Anonymous);

        await ProblemAsync(await requester.PostAsync(new Uri("/api/v1/requests", UriKind.Relative), Text()), HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        await ProblemAsync(await anonymous.PostAsync(new Uri("/api/v1/requests", UriKind.Relative), Text()), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task An_unknown_api_path_is_a_404_problem_for_a_signed_in_caller()
    {
        using var requester = ApiTokens.Client(_portal, Persona.Requester);
        using var anonymous = ApiTokens.Client(_portal, Persona.Anonymous);

        await ProblemAsync(await requester.GetAsync(new Uri("/api/v1/no-such-thing", UriKind.Relative)), HttpStatusCode.NotFound, "not-found");
        await ProblemAsync(await requester.GetAsync(new Uri("/api/v2/requests", UriKind.Relative)), HttpStatusCode.NotFound, "not-found");
        await ProblemAsync(await anonymous.GetAsync(new Uri("/api/v1/no-such-thing", UriKind.Relative)), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task A_method_the_path_does_not_take_is_a_405_problem_for_a_signed_in_caller()
    {
        using var requester = ApiTokens.Client(_portal, Persona.Requester);

        await ProblemAsync(await requester.DeleteAsync(new Uri("/api/v1/requests", UriKind.Relative)), HttpStatusCode.MethodNotAllowed, "method-not-allowed");
    }

    [Fact]
    public async Task A_token_without_a_role_or_without_mfa_is_a_403_problem_saying_which()
    {
        using var withoutRole = ApiTokens.Client(_portal, Persona.WithoutRole);
        using var withoutMfa = ApiTokens.Client(_portal, Persona.SignedInWithoutMfa);

        await ProblemAsync(await withoutRole.GetAsync(new Uri("/api/v1/requests", UriKind.Relative)), HttpStatusCode.Forbidden, "role-required");
        await ProblemAsync(await withoutMfa.GetAsync(new Uri("/api/v1/requests", UriKind.Relative)), HttpStatusCode.Forbidden, "mfa-required");
    }

    private static StringContent Text() => new("domain: docs.example.com", Encoding.UTF8, "text/plain");
}
