using System.Net.Http.Headers;
using Portal.Tests.Identity;

namespace Portal.Tests.Api;

/// <summary>API clients for a live portal carrying a persona's access token (see <see cref="Sessions.BearerToken"/>).</summary>
internal static class ApiTokens
{
    public static HttpClient Client(LivePortal portal, Persona persona)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = portal.BaseAddress };
        if (persona != Persona.Anonymous)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Sessions.BearerToken(portal.Services, Sessions.TokenClaims(persona)));
        }

        return client;
    }
}
