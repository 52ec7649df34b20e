using System.Text.Json.Nodes;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Tests.LocalCloud;

namespace Portal.Tests.Templates;

/// <summary>
/// The site's "keep N content versions" becomes the site stack's KeepContentVersions parameter, which the content
/// bucket's lifecycle keeps as NewerNoncurrentVersions (with the NoncurrentDays S3 requires beside it); the parameter's
/// own bounds hold for a stack deployed by hand, and the form's field names its errors.
/// </summary>
public sealed class ContentRetentionTemplateTests
{
    [Theory]
    [InlineData(null, 10)]
    [InlineData(25, 25)]
    [InlineData(1, 1)]
    public void The_content_buckets_lifecycle_keeps_the_sites_count_of_replaced_versions(int? keep, int expected)
    {
        var spec = (SiteSpec)RenderMatrix.Specs["site-defaults"];
        var site = Site(keep is { } n ? spec with { KeepContentVersions = n } : spec);

        Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), site.Parameter("KeepContentVersions"));
        var expiration = Rule(site, "expire-previous-versions")["NoncurrentVersionExpiration"]!;
        Assert.Equal((expected, 7), (expiration["NewerNoncurrentVersions"]!.GetValue<long>(), expiration["NoncurrentDays"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    public void Deployed_by_hand_the_parameter_refuses_what_s3_refuses(string value)
    {
        var definition = TemplateLibrary.LoadEmbedded().Json(StackKind.Site)["Parameters"]!["KeepContentVersions"]!.AsObject();

        Assert.NotNull(TemplateParameters.Check(definition, value));
        Assert.Null(TemplateParameters.Check(definition, "100"));
    }

    [Fact]
    public void An_out_of_bounds_count_is_the_forms_field_error_and_renders_no_stack()
    {
        var spec = (SiteSpec)RenderMatrix.Specs["site-defaults"] with { KeepContentVersions = 500 };

        var result = RenderMatrix.Renderer(RenderMatrix.DefaultSettings).Render(new RenderRequest(RenderMatrix.RequestId, 1, "Alice Requester", spec), DeploymentEnvironment.Testing);

        Assert.Contains(result.Errors, e => e.Field == "keepContentVersions");
    }

    private static RenderedStack Site(SiteSpec spec) =>
        RenderMatrix.Renderer(RenderMatrix.DefaultSettings).Render(new RenderRequest(RenderMatrix.RequestId, 1, "Alice Requester", spec), DeploymentEnvironment.Testing)
            .Stacks.Single(s => s.Kind == StackKind.Site);

    private static JsonNode Rule(RenderedStack site, string id) =>
        DeployedStacks.Resolved(site)["Resources"]!["ContentBucket"]!["Properties"]!["LifecycleConfiguration"]!["Rules"]!.AsArray().Single(r => r!["Id"]!.GetValue<string>() == id)!;
}
