using System.Text.RegularExpressions;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Web;

/// <summary>
/// The portal's own Permissions-Policy is valid structured-field syntax naming only features browsers still know: the
/// obsolete <c>interest-cohort</c> (FLoC, withdrawn) makes browsers log an "unrecognized feature" error on every page.
/// </summary>
public sealed partial class PermissionsPolicyHeaderTests
{
    private static readonly HashSet<string> KnownFeatures =
        ["accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone", "payment", "usb"];

    [Fact]
    public async Task The_policy_denies_sensitive_features_and_names_no_obsolete_one()
    {
        await using var portal = new PortalFactory();
        using var client = portal.CreateClient();

        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        var policy = Assert.Single(response.Headers.GetValues("Permissions-Policy"));
        var directives = policy.Split(", ");
        Assert.All(directives, d => Assert.Matches(Directive(), d));
        Assert.Equal(KnownFeatures.Order(StringComparer.Ordinal), directives.Select(d => d.Split('=')[0]).Order(StringComparer.Ordinal));
    }

    [GeneratedRegex("^[a-z][a-z0-9-]*=\\(\\)$")]
    private static partial Regex Directive();
}
