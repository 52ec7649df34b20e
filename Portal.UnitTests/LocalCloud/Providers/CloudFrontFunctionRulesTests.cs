namespace Portal.Tests.LocalCloud.Providers;

/// <summary>
/// CloudFront Functions: the ARN and stage CloudFormation reports, the 10 KB code size, the runtimes and name rules,
/// and that only a published function can be associated with a distribution.
/// </summary>
public sealed class CloudFrontFunctionRulesTests
{
    private readonly ProviderWorld _world = new();

    [Fact]
    public void Ref_and_FunctionARN_are_the_function_arn_and_AutoPublish_makes_it_LIVE()
    {
        var published = _world.Create("AWS::CloudFront::Function", "Published", Json.Function("default-document", autoPublish: true));
        var draft = _world.Create("AWS::CloudFront::Function", "Draft", Json.Function("draft", autoPublish: false));

        Assert.Equal($"arn:aws:cloudfront::{ProviderWorld.Account}:function/default-document", published.PhysicalId);
        Assert.Equal(published.PhysicalId, published.Attributes["FunctionARN"]);
        Assert.Equal(published.PhysicalId, published.Attributes["FunctionMetadata.FunctionARN"]);
        Assert.Equal("LIVE", published.Attributes["Stage"]);
        Assert.Equal("DEVELOPMENT", draft.Attributes["Stage"]);
    }

    [Fact]
    public void Code_over_ten_kilobytes_is_refused_and_exactly_ten_is_accepted()
    {
        var body = "function handler(event) { return event.request; }\n";
        var exactly = body + new string(' ', 10 * 1024 - body.Length);

        _world.Create("AWS::CloudFront::Function", "Fits", Json.Function("fits", autoPublish: true, code: exactly)).AssertCreated();
        var failure = _world.Create("AWS::CloudFront::Function", "TooBig", Json.Function("too-big", autoPublish: true, code: exactly + " "))
            .AssertRefused("FunctionSizeLimitExceeded");

        Assert.Contains("Status Code: 413", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cloudfront-js-1.0", true)]
    [InlineData("cloudfront-js-2.0", true)]
    [InlineData("nodejs20.x", false)]
    public void Only_the_cloudfront_javascript_runtimes_are_accepted(string runtime, bool accepted)
    {
        var result = _world.Create("AWS::CloudFront::Function", "Function", Json.Function("fn", autoPublish: true, runtime: runtime));

        Assert.Equal(accepted, result.Succeeded);
        if (!accepted)
        {
            result.AssertRefused("InvalidArgument");
        }
    }

    [Theory]
    [InlineData("default.document")]
    [InlineData("a-name-of-sixty-five-characters-is-one-character-too-long-for-it1")]
    public void Names_outside_letters_digits_hyphens_and_underscores_up_to_64_are_refused(string name)
    {
        _world.Create("AWS::CloudFront::Function", "Function", Json.Function(name, autoPublish: true)).AssertRefused("InvalidArgument");
    }

    [Fact]
    public void A_function_not_published_to_LIVE_cannot_be_associated()
    {
        var draft = _world.Made("AWS::CloudFront::Function", "Draft", Json.Function("draft", autoPublish: false));

        var failure = _world.Create("AWS::CloudFront::Distribution", "Site", Json.Distribution(functionArns: [draft.PhysicalId]))
            .AssertRefused("InvalidFunctionAssociation");

        Assert.Contains("LIVE", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Publishing_the_function_by_update_makes_it_associable()
    {
        var draft = _world.Made("AWS::CloudFront::Function", "Draft", Json.Function("draft", autoPublish: false));
        _world.Update(draft, Json.Function("draft", autoPublish: true)).AssertCreated();

        _world.Create("AWS::CloudFront::Distribution", "Site", Json.Distribution(functionArns: [draft.PhysicalId])).AssertCreated();
    }

    [Fact]
    public void A_function_arn_naming_no_function_cannot_be_associated()
    {
        _world.Create("AWS::CloudFront::Distribution", "Site", Json.Distribution(functionArns: [$"arn:aws:cloudfront::{ProviderWorld.Account}:function/missing"]))
            .AssertRefused("InvalidFunctionAssociation");
    }
}
