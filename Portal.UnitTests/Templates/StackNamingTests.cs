using System.Text.RegularExpressions;
using CsCheck;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Templates;

namespace Portal.Tests.Templates;

/// <summary>Stack names follow one rule, fit CloudFormation's pattern and length, and never collide.</summary>
public sealed partial class StackNamingTests
{
    private static readonly Gen<string> Label = Gen.Frequency(
        (4, Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"], 1, 20]),
        (2, Gen.Select(Gen.String[Gen.Char["abcxyz019"], 1, 10], Gen.String[Gen.Char["abcxyz019"], 1, 10], (a, b) => a + "-" + b)),
        (1, Gen.Const(new string('q', 63))));

    private static readonly Gen<string> Host = Label.Array[2, 6].Select(labels => string.Join('.', labels)).Where(h => h.Length <= 248);

    [Fact]
    public void Names_follow_the_documented_rule()
    {
        Assert.Equal("portal-shared", StackNaming.Shared("portal"));
        Assert.Equal("portal-site-testing-docs-example-com", StackNaming.Site("portal", DeploymentEnvironment.Testing, "docs.example.com"));
        Assert.Equal("portal-site-production-docs-example-com", StackNaming.Site("portal", DeploymentEnvironment.Production, "docs.example.com"));
        Assert.Equal("portal-redirect-testing-www-docs-example-com", StackNaming.Redirect("portal", DeploymentEnvironment.Testing, "www.docs.example.com"));
        Assert.Equal("portal-mta-sts-example-com", StackNaming.MtaSts("portal", "example.com"));
        Assert.Equal("portal-site-testing-my--site-xn----bcher--kva-example", StackNaming.Site("portal", DeploymentEnvironment.Testing, "my-site.xn--bcher-kva.example"));
    }

    [Fact]
    public void Hosts_that_differ_only_in_dots_and_hyphens_get_different_names()
    {
        Assert.NotEqual(
            StackNaming.Site("portal", DeploymentEnvironment.Testing, "a-b.example.com"),
            StackNaming.Site("portal", DeploymentEnvironment.Testing, "a.b-example.com"));
    }

    [Fact]
    public void Every_name_fits_cloudformation_and_long_names_end_in_a_hash()
    {
        Host.Sample(host =>
        {
            foreach (var (name, natural) in new[]
            {
                (StackNaming.Site("portal", DeploymentEnvironment.Production, host), "portal-site-production-" + StackNaming.Slug(host)),
                (StackNaming.Redirect("a-much-longer-stack-name-prefix1", DeploymentEnvironment.Testing, host), "a-much-longer-stack-name-prefix1-redirect-testing-" + StackNaming.Slug(host)),
                (StackNaming.MtaSts("portal", host), "portal-mta-sts-" + StackNaming.Slug(host)),
            })
            {
                Assert.True(name.Length <= StackNaming.MaxLength, name);
                Assert.Matches(StackNamePattern(), name);
                if (natural.Length > StackNaming.MaxLength)
                {
                    Assert.Equal(StackNaming.MaxLength, name.Length);
                    Assert.Matches(HashSuffix(), name);
                }
                else
                {
                    Assert.Equal(natural, name);
                }
            }
        }, iter: 2000);
    }

    [Fact]
    public void Different_hosts_never_share_a_name()
    {
        Host.Array[2].Where(pair => pair[0] != pair[1]).Sample(pair =>
        {
            Assert.NotEqual(
                StackNaming.Site("portal", DeploymentEnvironment.Testing, pair[0]),
                StackNaming.Site("portal", DeploymentEnvironment.Testing, pair[1]));
        }, iter: 2000);
    }

    [Fact]
    public void Long_hosts_that_share_a_beginning_stay_apart()
    {
        var stem = string.Join('.', Enumerable.Repeat(new string('x', 60), 3));
        var first = StackNaming.Site("portal", DeploymentEnvironment.Testing, stem + ".one.example");
        var second = StackNaming.Site("portal", DeploymentEnvironment.Testing, stem + ".two.example");

        Assert.Equal(StackNaming.MaxLength, first.Length);
        Assert.Equal(first[..100], second[..100]);
        Assert.NotEqual(first, second);
        Assert.Equal(first, StackNaming.Site("portal", DeploymentEnvironment.Testing, stem + ".one.example"));
    }

    [GeneratedRegex("^[a-zA-Z][-a-zA-Z0-9]*$")]
    private static partial Regex StackNamePattern();

    [GeneratedRegex("-[0-9a-f]{16}$")]
    private static partial Regex HashSuffix();
}
