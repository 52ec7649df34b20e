using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Core.Workflow;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// Signs a test request in as one of <see cref="TestActors"/> named in the <c>X-Test-Person</c> header, with the
/// portal's session claims (<c>sub</c>, <c>name</c>, <c>portal_role</c>, <c>auth_time</c>); no header, nobody signed in.
/// </summary>
public sealed class TestAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Test";
    public const string Header = "X-Test-Person";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var id = Request.Headers[Header].ToString();
        if (id.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        Actor[] people = [TestActors.Alice, TestActors.Rita, TestActors.Bob, TestActors.Carol, TestActors.Dana];
        var actor = people.Single(p => p.Id == id);
        var claims = new List<Claim> { new("sub", actor.Id), new("name", actor.DisplayName) };
        claims.AddRange(actor.Roles.Select(r => new Claim("portal_role", r.ToString())));
        claims.Add(new("auth_time", actor.AuthenticatedAt!.Value.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName)));
    }
}
