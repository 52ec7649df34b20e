using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Core.Workflow;

namespace Portal.Tests.Identity;

/// <summary>
/// A whole sign-in logged at Information leaves no PKCE verifier (nor any other secret OpenIddict does not mask) in
/// the logs, while the sign-in itself is logged.
/// </summary>
public sealed class SecretsNotLoggedTests
{
    [Fact]
    public async Task A_sign_in_logged_at_information_does_not_log_the_code_verifier()
    {
        var logs = new CapturedLogs();
        await using var portal = new LivePortal(
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information" },
            testServices: services => services.AddSingleton<ILoggerProvider>(logs));
        var key = await HttpBrowser.EnrolledUserAsync(portal, "lou@example.test", "lous own password", PortalRole.Requester);
        using var browser = new HttpBrowser(portal);

        var hops = await browser.SignInAsync("lou@example.test", "lous own password", Authenticator.Code(key));

        Assert.Equal("/signin-oidc", hops[^1].RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains(logs.Lines, l => l.Category == Portal.Identity.BuiltIn.SecurityAudit.Category && l.Message.Contains("SignedIn", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Message.Contains("code_verifier", StringComparison.OrdinalIgnoreCase));
    }
}
