using Portal.Core.Content;
using Portal.Infrastructure.Content;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Templates;

namespace Portal.Tests.Content;

/// <summary>Cache rules pick a file's Cache-Control the way CloudFront picks a cache behaviour: path patterns, first match wins.</summary>
public sealed class CachePathPatternTests
{
    [Theory]
    [InlineData("*.jpg", "/photo.jpg", true)]
    [InlineData("*.jpg", "/a/b/photo.jpg", true)]
    [InlineData("*.jpg", "/photo.jpeg", false)]
    [InlineData("*.jpg", "/photo.JPG", false)]
    [InlineData("/assets/*", "/assets/app.js", true)]
    [InlineData("/assets/*", "/assets/deep/er/app.js", true)]
    [InlineData("assets/*", "/assets/app.js", true)]
    [InlineData("/assets/*", "/other/assets/app.js", false)]
    [InlineData("/assets/*", "/assets", false)]
    [InlineData("/index.html", "/index.html", true)]
    [InlineData("/index.html", "/docs/index.html", false)]
    [InlineData("/v?/*", "/v1/x", true)]
    [InlineData("/v?/*", "/v10/x", false)]
    [InlineData("*", "/anything/at/all", true)]
    [InlineData("/a*b*c", "/axxbyyc", true)]
    [InlineData("/a*b*c", "/axxbyy", false)]
    public void A_path_pattern_matches_as_cloudfront_matches_it(string pattern, string path, bool matches) =>
        Assert.Equal(matches, CacheControlRules.Matches(pattern, path));

    [Fact]
    public void The_first_matching_rule_wins_and_no_match_means_no_cache_control()
    {
        IReadOnlyList<CacheRule> rules = [new("/assets/*.css", "a"), new("*.css", "b"), new("/assets/*", "c")];

        Assert.Equal("a", CacheControlRules.For("assets/site.css", rules));
        Assert.Equal("b", CacheControlRules.For("site.css", rules));
        Assert.Equal("c", CacheControlRules.For("assets/app.js", rules));
        Assert.Null(CacheControlRules.For("index.html", rules));
    }

    [Fact]
    public void A_site_without_rules_gets_the_seed_recipes_rules()
    {
        var rules = CacheControlRules.Effective(new SiteSpec { Host = "a.example.com" });

        Assert.Same(StackRenderer.SeedCacheRules, rules);
        Assert.Equal("max-age=15552000", CacheControlRules.For("assets/x.jpg", rules));
        Assert.Equal("max-age=1209600", CacheControlRules.For("img/x.jpg", rules));
        Assert.Equal("max-age=43200", CacheControlRules.For("x.html", rules));
    }
}
