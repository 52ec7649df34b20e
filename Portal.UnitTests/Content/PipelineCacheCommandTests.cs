using Portal.Core.Content;
using Portal.Core.Requests;
using Portal.Core.Templates;

namespace Portal.Tests.Content;

/// <summary>A pipeline's <c>aws s3</c> commands give each file the Cache-Control the portal's upload would: first matching rule wins.</summary>
public sealed class PipelineCacheCommandTests
{
    private const string Location = "s3://acme-portal-content/testing/docs.example.com/";

    [Fact]
    public void The_seed_rules_give_one_copy_per_rule_excluding_earlier_patterns_then_the_rest_then_a_size_only_sync()
    {
        var commands = PipelineCacheCommands.For(StackRenderer.SeedCacheRules, "./public", Location);

        Assert.Equal(
        [
            "aws s3 cp './public' 's3://acme-portal-content/testing/docs.example.com/' --recursive --exclude '*' --include 'assets/*' --cache-control 'max-age=15552000'",
            "aws s3 cp './public' 's3://acme-portal-content/testing/docs.example.com/' --recursive --exclude '*' --include '*.jpg' --exclude 'assets/*' --cache-control 'max-age=1209600'",
            "aws s3 cp './public' 's3://acme-portal-content/testing/docs.example.com/' --recursive --exclude '*' --include '*.html' --exclude 'assets/*' --exclude '*.jpg' --cache-control 'max-age=43200'",
            "aws s3 cp './public' 's3://acme-portal-content/testing/docs.example.com/' --recursive --exclude 'assets/*' --exclude '*.jpg' --exclude '*.html'",
            "aws s3 sync './public' 's3://acme-portal-content/testing/docs.example.com/' --delete --size-only",
        ], commands);
    }

    /// <summary>
    /// The CLI's filters, modelled as it documents them (the last filter that matches decides; <c>*</c> crosses
    /// slashes), pick for every file the rule <see cref="CacheControlRules.For"/> picks.
    /// </summary>
    [Theory]
    [InlineData("assets/photo.jpg")]
    [InlineData("img/photo.jpg")]
    [InlineData("index.html")]
    [InlineData("docs/a.html")]
    [InlineData("robots.txt")]
    [InlineData("assets/app.js")]
    public void Each_file_is_copied_by_exactly_the_command_of_its_first_matching_rule(string path)
    {
        var rules = StackRenderer.SeedCacheRules;
        var commands = PipelineCacheCommands.For(rules, "./public", Location);
        var copies = commands.Take(rules.Count + 1).ToList();

        var matching = copies.Where(c => Included(c, path)).ToList();

        var only = Assert.Single(matching);
        var expected = CacheControlRules.For(path, rules);
        Assert.Equal(expected is null ? null : $"--cache-control '{expected}'", only.Contains("--cache-control", StringComparison.Ordinal) ? only[only.IndexOf("--cache-control", StringComparison.Ordinal)..] : null);
    }

    [Fact]
    public void A_leading_slash_is_dropped_and_quotes_are_escaped_for_the_shell()
    {
        Assert.Equal("assets/*", PipelineCacheCommands.Filter("/assets/*"));
        var command = PipelineCacheCommands.For([new CacheRule("*.css", "public, max-age=60")], "./public", Location)[0];
        Assert.EndsWith("--include '*.css' --cache-control 'public, max-age=60'", command, StringComparison.Ordinal);
    }

    private static bool Included(string command, string path)
    {
        var words = command.Split(' ');
        var included = true;
        for (var i = 0; i < words.Length - 1; i++)
        {
            if (words[i] is "--exclude" or "--include" && Portal.Core.Text.Wildcard.Matches(words[i + 1].Trim('\''), path))
            {
                included = words[i] == "--include";
            }
        }

        return included;
    }
}
