using Portal.Core.Text;

namespace Portal.Tests.Text;

/// <summary>AWS's glob: <c>*</c> any run of characters, slashes and colons included; <c>?</c> exactly one.</summary>
public sealed class WildcardTests
{
    [Theory]
    [InlineData("/assets/*", "/assets/css/site.css", true)]
    [InlineData("*.jpg", "/photos/a.jpg", true)]
    [InlineData("*.jpg", "/photos/a.JPG", false)]
    [InlineData("s3:Get*", "s3:GetObject", true)]
    [InlineData("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/testing/site/index.html", true)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("*a*b*", "xxaxxbxx", true)]
    [InlineData("*a*b", "xxaxxbxc", false)]
    [InlineData("", "", true)]
    [InlineData("*", "", true)]
    [InlineData("", "a", false)]
    public void Matches_as_AWS_globs_do(string pattern, string value, bool expected)
    {
        Assert.Equal(expected, Wildcard.Matches(pattern, value));
    }
}
