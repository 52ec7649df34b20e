using System.Text;
using Portal.Core.Identity;

namespace Portal.Tests.Identity;

/// <summary>RFC 6238 codes: one step either side of now, and never a step at or before the last one accepted.</summary>
public sealed class TotpTests
{
    private static readonly byte[] RfcKey = Encoding.ASCII.GetBytes("12345678901234567890");
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_111_111_109);

    [Theory]
    [InlineData(59L, "287082")]
    [InlineData(1_111_111_109L, "081804")]
    [InlineData(1_234_567_890L, "005924")]
    [InlineData(2_000_000_000L, "279037")]
    public void Codes_match_the_rfc_6238_test_vectors(long unixSeconds, string expected) =>
        Assert.Equal(expected, Totp.Code(RfcKey, Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(unixSeconds))));

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(1)]
    public void A_code_of_the_current_step_or_one_either_side_is_accepted(int offset)
    {
        var step = Totp.StepAt(Now) + offset;
        Assert.Equal(step, Totp.MatchingStep(RfcKey, Totp.Code(RfcKey, step), Now, lastUsedStep: null));
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(2)]
    [InlineData(-3)]
    public void A_code_two_or_more_steps_away_is_refused(int offset) =>
        Assert.Null(Totp.MatchingStep(RfcKey, Totp.Code(RfcKey, Totp.StepAt(Now) + offset), Now, lastUsedStep: null));

    [Fact]
    public void A_code_of_a_spent_step_or_an_earlier_one_is_refused()
    {
        var current = Totp.StepAt(Now);
        Assert.Null(Totp.MatchingStep(RfcKey, Totp.Code(RfcKey, current), Now, lastUsedStep: current));
        Assert.Null(Totp.MatchingStep(RfcKey, Totp.Code(RfcKey, current - 1), Now, lastUsedStep: current));
        Assert.Equal(current + 1, Totp.MatchingStep(RfcKey, Totp.Code(RfcKey, current + 1), Now, lastUsedStep: current));
    }

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12a456")]
    [InlineData("１２３４５６")]
    public void Anything_but_six_ascii_digits_is_refused(string code) =>
        Assert.Null(Totp.MatchingStep(RfcKey, code, Now, null));

    [Fact]
    public void Keys_decode_as_authenticator_apps_show_them()
    {
        Assert.Equal(RfcKey, Totp.DecodeKey("gezd gnbv gy3t qojq gezd gnbv gy3t qojq"));
        Assert.Null(Totp.DecodeKey("not base32!"));
    }
}
