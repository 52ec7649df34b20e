using System.Text;
using Portal.Core.Headers;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Tests.Infrastructure;
using Portal.Tests.Templates;

namespace Portal.Tests.Headers;

/// <summary>
/// The request validator and the stack renderer share one header-value rule: whatever value the validator accepts for
/// a served header (Permissions-Policy, Cache-Control) renders into both environments' stacks, and the values that
/// once passed validation and then failed in testing ("must be printable ASCII") are refused up front.
/// </summary>
public sealed class HeaderValueAgreementTests
{
    private static readonly StackRenderer Renderer = RenderMatrix.Renderer(RenderMatrix.DefaultSettings);

    public static TheoryData<string> FormerlyAcceptedThenUnrenderable => new()
    {
        "   ",
        "\u2028",
        "\t",
        " \u2029 ",
        "\u00a0",
        "\u3000",
        "camera=()\u2028",
    };

    [Theory]
    [MemberData(nameof(FormerlyAcceptedThenUnrenderable))]
    public void A_permissions_policy_the_renderer_cannot_serve_is_refused_by_the_validator(string value)
    {
        var result = SpecValidator.Validate(TestSpecs.Site() with { PermissionsPolicy = value });

        Assert.Contains(result.Errors, e => e.Field == "permissionsPolicy");
    }

    [Fact]
    public void Every_generated_value_the_validator_accepts_renders_in_both_environments()
    {
        var random = new Random(20261203);
        var accepted = 0;
        var refused = 0;
        for (var i = 0; i < 3000; i++)
        {
            var value = Generate(random);
            foreach (var spec in new[]
            {
                TestSpecs.Site() with { PermissionsPolicy = value },
                TestSpecs.Site() with { CacheRules = [new("*.css", value)] },
            })
            {
                if (!SpecValidator.Validate(spec).IsValid)
                {
                    refused++;
                    continue;
                }

                accepted++;
                foreach (var environment in new[] { DeploymentEnvironment.Testing, DeploymentEnvironment.Production })
                {
                    var rendered = Renderer.Render(new RenderRequest(RenderMatrix.RequestId, 1, "Alice Requester", spec), environment);
                    Assert.True(rendered.Errors.Count == 0,
                        $"validator accepted {Escape(value)} but rendering {environment} failed: {string.Join("; ", rendered.Errors.Select(e => $"{e.Field}: {e.Message}"))}");
                }
            }
        }

        // The generator must exercise both sides of the rule, or the property says nothing.
        Assert.True(accepted > 500, $"only {accepted} accepted");
        Assert.True(refused > 500, $"only {refused} refused");
    }

    [Fact]
    public void The_validator_and_the_renderer_read_the_same_rule()
    {
        foreach (var value in new[] { "", " ", "a", " a", "a ", "max-age=60", "a\u007f", new string('x', HeaderValue.CloudFrontMaxLength), new string('x', HeaderValue.CloudFrontMaxLength + 1) })
        {
            var ruleSays = HeaderValue.Problem(value, SpecValidator.MaxHeaderValueLength, required: false) is null;
            var validatorSays = SpecValidator.Validate(TestSpecs.Site() with { PermissionsPolicy = value }).IsValid;
            Assert.True(ruleSays == validatorSays, $"rule and validator disagree on {Escape(value)}");
        }
    }

    /// <summary>Mostly plausible policy text, with spaces, tabs, separators, non-ASCII and overlong runs mixed in.</summary>
    private static string Generate(Random random)
    {
        const string plausible = "abcdefghijklmnopqrstuvwxyz=(),; \"*-0123456789";
        string[] hostile = [" ", "\t", "\n", "\r", "\u2028", "\u2029", "\u00a0", "\u3000", "\u0000", "\u007f", "\u00e9", "\u200b", "\ud83d\ude00", "\ud800", "\\"];
        var builder = new StringBuilder();
        var shape = random.Next(10);
        var length = shape switch
        {
            0 => 0,
            1 => random.Next(SpecValidator.MaxHeaderValueLength - 5, HeaderValue.CloudFrontMaxLength + 10),
            _ => random.Next(1, 40),
        };
        for (var i = 0; i < length; i++)
        {
            var roll = random.Next(100);
            builder.Append(roll switch
            {
                < 3 => hostile[random.Next(hostile.Length)],
                < 10 => " ",
                _ => plausible[random.Next(plausible.Length)].ToString(),
            });
        }

        if (shape == 2)
        {
            // Whitespace-only values, the case that once slipped through.
            return new string(' ', random.Next(1, 5)) + (random.Next(2) == 0 ? "\u2028" : "");
        }

        return builder.ToString();
    }

    private static string Escape(string value) =>
        "\"" + string.Concat(value.Take(80).Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:X4}")) + (value.Length > 80 ? "..." : "") + $"\" ({value.Length} chars)";
}
