namespace Portal.Tests.Infrastructure;

/// <summary>mta-sts-query's Python tuple output parses into its verdict and policy, whatever characters the policy holds.</summary>
public sealed class MtaStsQueryResultParsingTests
{
    [Fact]
    public void Valid_result_gives_id_version_mode_max_age_and_mx()
    {
        var result = MtaStsQueryResult.Parse(
            "(<STSFetchResult.VALID: 1>, ('20240501T1200', {'mx': ['mx1.example.test', '*.mail.example.test'], 'version': 'STSv1', 'mode': 'enforce', 'max_age': 604800}))\n");

        Assert.Equal(MtaStsQueryStatus.Valid, result.Status);
        Assert.Equal("20240501T1200", result.PolicyId);
        Assert.Equal("STSv1", result.Version);
        Assert.Equal("enforce", result.Mode);
        Assert.Equal(604800, result.MaxAge);
        Assert.Equal(["mx1.example.test", "*.mail.example.test"], result.Mx);
        Assert.Empty(result.OtherFields);
    }

    [Theory]
    [InlineData("(<STSFetchResult.NONE: 0>, None)", MtaStsQueryStatus.None)]
    [InlineData("(<STSFetchResult.FETCH_ERROR: 2>, None)", MtaStsQueryStatus.FetchError)]
    [InlineData("(<STSFetchResult.NOT_CHANGED: 3>, None)", MtaStsQueryStatus.NotChanged)]
    public void Results_without_a_policy_give_only_the_status(string output, MtaStsQueryStatus status)
    {
        var result = MtaStsQueryResult.Parse(output);

        Assert.Equal(status, result.Status);
        Assert.Null(result.PolicyId);
        Assert.Null(result.Mode);
        Assert.Empty(result.Mx);
    }

    [Fact]
    public void Escaped_quotes_backslashes_and_unicode_in_strings_are_decoded()
    {
        var result = MtaStsQueryResult.Parse(
            "(<STSFetchResult.VALID: 1>, (\"it's\", {'mx': ['a\\\\b', \"q\\\"x\"], 'mode': 'none', 'version': 'STSv1', 'max_age': 0, 'note': 'caf\\xe9 \\u2603 \\U0001f600\\n\\t'}))");

        Assert.Equal("it's", result.PolicyId);
        Assert.Equal(["a\\b", "q\"x"], result.Mx);
        Assert.Equal(0, result.MaxAge);
        Assert.Equal("café ☃ 😀\n\t", result.OtherFields["note"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Traceback (most recent call last):")]
    [InlineData("(<STSFetchResult.VALID: 1>, ('id', {'mode': 'enforce'})")]
    [InlineData("(<STSFetchResult.SOMETHING: 9>, None)")]
    [InlineData("(<Other.VALID: 1>, None)")]
    [InlineData("(<STSFetchResult.VALID: 1>, ('id', {'max_age': '86400'}))")]
    [InlineData("(<STSFetchResult.NONE: 0>, None) trailing")]
    public void Anything_else_is_a_format_error(string output)
    {
        Assert.Throws<FormatException>(() => MtaStsQueryResult.Parse(output));
    }
}
