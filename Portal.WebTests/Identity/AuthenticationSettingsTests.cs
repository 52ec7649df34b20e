using Portal.Identity.Settings;
using Portal.Identity;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Identity;

/// <summary>Sign-in settings: the provider is chosen by configuration, and a bad value stops the start naming the key.</summary>
public sealed class AuthenticationSettingsTests
{
    public static TheoryData<string, string, string> BadSettings() => new()
    {
        { "Authentication:Authority", "not a url", "Authentication:Authority must be an absolute https URL" },
        { "Authentication:Authority", "http://idp.example.org", "Authentication:Authority must use https" },
        { "Authentication:PublicOrigin", "https://portal.example.org/sub/path", "Authentication:PublicOrigin must be an http(s) origin without a path" },
        { "Authentication:RoleMap:group-1", "Owner", "Authentication:RoleMap:group-1 must be one of Requester, Approver, Admin" },
        { "Authentication:ResponseMode", "fragment", "Authentication:ResponseMode must be query or form_post" },
        { "Authentication:SessionLifetime", "00:01:00", "Authentication:SessionLifetime must be between" },
        { "Identity:MaxFailedAttempts", "1", "Identity:MaxFailedAttempts must be between 2 and 20." },
        { "Identity:InviteLifetime", "90.00:00:00", "Identity:InviteLifetime must be between" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Bad_value_stops_the_start_naming_the_key(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?> { [key] = value };
        if (key == "Authentication:Authority")
        {
            settings["Authentication:ClientId"] = "portal";
        }

        await using var portal = new PortalFactory(settings);

        var error = Record.Exception(() => portal.CreateClient());

        Assert.NotNull(error);
        Assert.Contains(expected, Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generic_provider_without_a_client_id_stops_the_start()
    {
        await using var portal = new PortalFactory(new Dictionary<string, string?> { ["Authentication:Authority"] = "https://idp.example.org" });

        Assert.Contains("Authentication:ClientId is required when Authentication:Authority is set.", Flatten(Record.Exception(() => portal.CreateClient())!), StringComparison.Ordinal);
    }

    [Fact]
    public void Mode_is_built_in_unless_an_authority_or_entra_is_configured()
    {
        Assert.Equal(IdentityProviderMode.BuiltIn, new PortalAuthenticationOptions().Mode);
        Assert.Equal(IdentityProviderMode.Generic, new PortalAuthenticationOptions { Authority = "https://idp.example.org" }.Mode);
        Assert.Equal(IdentityProviderMode.Entra, new PortalAuthenticationOptions { Authority = "https://idp.example.org", EntraConfigured = true }.Mode);
    }

    private static string Flatten(Exception error)
    {
        var text = new System.Text.StringBuilder();
        for (var e = error; e is not null; e = e.InnerException)
        {
            text.AppendLine(e.Message);
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    text.AppendLine(inner.Message);
                }
            }
        }

        return text.ToString();
    }
}
