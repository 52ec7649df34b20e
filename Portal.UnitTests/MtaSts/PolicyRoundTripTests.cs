using CsCheck;
using Portal.Core.MtaSts;

namespace Portal.Tests.MtaSts;

/// <summary>parse(serialize(p)) == p for every valid policy, and serialization is stable.</summary>
public class PolicyRoundTripTests
{
    [Fact]
    public void Parsing_a_serialized_policy_gives_the_same_policy()
    {
        PolicyGenerators.Policy.Sample(policy =>
        {
            var result = MtaStsPolicyParser.Parse(policy.Serialize());

            Assert.True(result.IsValid, string.Join(" ", result.Errors.Select(e => e.Message)));
            Assert.Equal(policy, result.Value);
        }, iter: 2000);
    }

    [Fact]
    public void Every_generated_policy_is_accepted_by_create()
    {
        PolicyGenerators.Policy.Sample(policy =>
        {
            var created = MtaStsPolicy.Create(policy.Mode, policy.MaxAge, policy.Mx);

            Assert.True(created.IsValid, string.Join(" ", created.Errors.Select(e => e.Message)));
            Assert.Equal(policy, created.Value);
        }, iter: 1000);
    }

    [Fact]
    public void Serializing_a_parsed_policy_again_gives_the_same_bytes()
    {
        PolicyGenerators.Policy.Sample(policy =>
        {
            var body = policy.Serialize();
            Assert.Equal(body, MtaStsPolicyParser.Parse(body).Value!.Serialize());
        }, iter: 1000);
    }

    [Fact]
    public void Equal_policies_built_from_different_lists_are_equal_and_hash_alike()
    {
        var a = new MtaStsPolicy(Portal.Core.Requests.MtaStsMode.Enforce, 10, new List<string> { "a.example.com" });
        var b = new MtaStsPolicy(Portal.Core.Requests.MtaStsMode.Enforce, 10, ["a.example.com"]);

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { Mx = ["A.example.com"] });
    }
}
