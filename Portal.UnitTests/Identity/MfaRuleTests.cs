using System.Security.Claims;
using Portal.Core.Identity;

namespace Portal.Tests.Identity;

/// <summary>When a provider's token counts as MFA: configured amr values, or configured acr / Entra acrs values.</summary>
public sealed class MfaRuleTests
{
    private static Claim[] Claims(params (string Type, string Value)[] claims) => [.. claims.Select(c => new Claim(c.Type, c.Value))];

    [Theory]
    [InlineData("mfa", true)]
    [InlineData("pwd", false)]
    [InlineData("otp", false)]
    [InlineData("MFA", false)]
    public void Default_rule_needs_amr_mfa(string amr, bool expected) =>
        Assert.Equal(expected, MfaRule.Default.IsSatisfiedBy(Claims(("amr", "pwd"), ("amr", amr))));

    [Fact]
    public void Amr_as_one_json_array_claim_is_read_like_several_claims()
    {
        Assert.True(MfaRule.Default.IsSatisfiedBy(Claims(("amr", "[\"pwd\",\"mfa\"]"))));
        Assert.False(MfaRule.Default.IsSatisfiedBy(Claims(("amr", "[\"pwd\"]"))));
    }

    [Fact]
    public void No_amr_at_all_is_not_mfa() => Assert.False(MfaRule.Default.IsSatisfiedBy(Claims(("sub", "x"))));

    [Fact]
    public void Configured_amr_values_replace_the_default()
    {
        var rule = new MfaRule(["hwk", "otp"], []);

        Assert.True(rule.IsSatisfiedBy(Claims(("amr", "otp"))));
        Assert.False(rule.IsSatisfiedBy(Claims(("amr", "mfa"))));
    }

    [Fact]
    public void Entra_authentication_context_in_acrs_satisfies_an_acr_rule()
    {
        var rule = new MfaRule([], ["c1"]);

        Assert.True(rule.IsSatisfiedBy(Claims(("acrs", "c1"))));
        Assert.True(rule.IsSatisfiedBy(Claims(("acrs", "[\"c2\",\"c1\"]"))));
        Assert.False(rule.IsSatisfiedBy(Claims(("acrs", "c2"))));
        Assert.False(rule.IsSatisfiedBy(Claims(("amr", "mfa"))));
    }

    [Fact]
    public void Acr_value_satisfies_an_acr_rule() =>
        Assert.True(new MfaRule(["mfa"], ["urn:example:mfa"]).IsSatisfiedBy(Claims(("acr", "urn:example:mfa"))));

    [Fact]
    public void Description_names_the_values_a_person_needs() =>
        Assert.Equal("an authentication method (amr) of mfa, or an authentication context (acr/acrs) of c1", new MfaRule(["mfa"], ["c1"]).Describe());
}
