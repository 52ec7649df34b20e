using CsCheck;
using Portal.Core.MtaSts;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;

namespace Portal.Tests.MtaSts;

/// <summary>The policy id is 1-32 alphanumerics and changes if and only if the served policy body changes.</summary>
public class PolicyIdTests
{
    [Fact]
    public void The_id_is_32_lower_case_hex_digits_and_valid_for_the_txt_record()
    {
        PolicyGenerators.Policy.Sample(policy =>
        {
            var id = MtaStsPolicyId.For(policy);

            Assert.Matches("^[0-9a-f]{32}$", id);
            Assert.True(MtaStsPolicyId.IsValid(id));
            Assert.True(MtaStsTxtRecord.Parse(MtaStsTxtRecord.For(policy).Serialize()).IsValid);
        }, iter: 500);
    }

    [Fact]
    public void The_id_of_the_rfc_example_is_the_sha256_prefix_of_its_body()
    {
        // Expected value computed outside this code base:
        // python3 -c "import hashlib; print(hashlib.sha256(b'version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\n
        //   mx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n').hexdigest()[:32])"
        var policy = new MtaStsPolicy(MtaStsMode.Enforce, 604800, ["mail.example.com", "*.example.net", "backupmx.example.com"]);

        Assert.Equal("b7c7f8ecaf8c62bfd6c88412f7c35d06", MtaStsPolicyId.For(policy));
    }

    [Fact]
    public void Two_policies_share_an_id_exactly_when_their_bodies_are_equal()
    {
        Gen.Select(PolicyGenerators.Policy, PolicyGenerators.Policy).Sample((a, b) =>
        {
            var sameBody = a.Serialize() == b.Serialize();
            Assert.Equal(sameBody, MtaStsPolicyId.For(a) == MtaStsPolicyId.For(b));
            Assert.Equal(sameBody, a == b);
        }, iter: 2000);
    }

    [Fact]
    public void Changing_any_one_field_changes_the_id()
    {
        Gen.Select(PolicyGenerators.Policy, PolicyGenerators.MxPattern, Gen.Int[0, 3]).Sample((policy, extraMx, change) =>
        {
            MtaStsPolicy changed = change switch
            {
                0 => policy with { Mode = policy.Mode == MtaStsMode.Enforce ? MtaStsMode.Testing : MtaStsMode.Enforce, Mx = policy.Mx.Count == 0 ? [extraMx] : policy.Mx },
                1 => policy with { MaxAge = policy.MaxAge == 0 ? 1 : policy.MaxAge - 1 },
                2 => policy with { Mx = [.. policy.Mx, extraMx] },
                _ => policy with { Mx = policy.Mx.Count > 1 ? [.. policy.Mx.Reverse()] : [extraMx, .. policy.Mx] },
            };

            if (changed.Serialize() != policy.Serialize())
            {
                Assert.NotEqual(MtaStsPolicyId.For(policy), MtaStsPolicyId.For(changed));
            }
            else
            {
                // Reversing a list that reads the same backwards leaves the body, and so the id, unchanged.
                Assert.Equal(MtaStsPolicyId.For(policy), MtaStsPolicyId.For(changed));
            }
        }, iter: 2000);
    }

    [Fact]
    public void The_id_does_not_depend_on_how_the_policy_was_written()
    {
        var crlf = MtaStsPolicyParser.Parse("version: STSv1\r\nmode: enforce\r\nmx: mx.example.com\r\nmax_age: 604800\r\n").Value!;
        var lfReordered = MtaStsPolicyParser.Parse("mode: enforce\nmax_age: 604800\nversion: STSv1\nmx: mx.example.com").Value!;

        Assert.Equal(MtaStsPolicyId.For(crlf), MtaStsPolicyId.For(lfReordered));
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("20160831085700Z", true)]
    [InlineData("0123456789abcdefABCDEF0123456789", true)]
    [InlineData("0123456789abcdefABCDEF01234567890", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("abc-def", false)]
    [InlineData("abcé", false)]
    public void Id_syntax_is_one_to_32_ascii_letters_or_digits(string? id, bool valid)
    {
        Assert.Equal(valid, MtaStsPolicyId.IsValid(id));
    }
}
