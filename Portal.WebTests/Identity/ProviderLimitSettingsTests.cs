using Portal.Tests.Infrastructure;

namespace Portal.Tests.Identity;

/// <summary>The provider's rate limits and command-line session lifetimes are checked at start: a bad value stops it, naming the key.</summary>
public sealed class ProviderLimitSettingsTests
{
    public static TheoryData<string, string, string> BadLimits() => new()
    {
        { "Identity:TokenPermitLimit", "0", "Identity:TokenPermitLimit must be between 1 and 10000." },
        { "Identity:TokenWindow", "00:00:00", "Identity:TokenWindow must be between 00:00:01 and 01:00:00." },
        { "Identity:VerificationPermitLimit", "20000", "Identity:VerificationPermitLimit must be between 1 and 10000." },
        { "Identity:VerificationWindow", "02:00:00", "Identity:VerificationWindow must be between 00:00:01 and 01:00:00." },
        { "Identity:CommandLineIdleLifetime", "00:01:00", "Identity:CommandLineIdleLifetime must be between 00:30:00 and 30.00:00:00." },
        { "Identity:CommandLineMaxLifetime", "365.00:00:00", "Identity:CommandLineMaxLifetime must be between 00:30:00 and 90.00:00:00." },
        { "Identity:CommandLineIdleLifetime", "20.00:00:00", "Identity:CommandLineIdleLifetime must not be longer than Identity:CommandLineMaxLifetime." },
    };

    [Theory]
    [MemberData(nameof(BadLimits))]
    public async Task A_bad_setting_stops_the_start_naming_the_key(string key, string value, string expected)
    {
        await using var portal = new PortalFactory(new Dictionary<string, string?> { [key] = value });

        var error = Record.Exception(() => portal.CreateClient());

        Assert.NotNull(error);
        var text = new System.Text.StringBuilder();
        for (var e = error; e is not null; e = e.InnerException)
        {
            text.AppendLine(e.Message);
        }

        Assert.Contains(expected, text.ToString(), StringComparison.Ordinal);
    }
}
