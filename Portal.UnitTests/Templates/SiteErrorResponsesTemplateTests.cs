using System.Text.Json.Nodes;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Tests.LocalCloud;

namespace Portal.Tests.Templates;

/// <summary>
/// The site stack turns the site's missing-path setting into the distribution's custom error responses: both 403
/// (S3 behind origin access control) and 404 become the 404 page with 404, or /index.html with 200 in single-page
/// mode; a site with neither has none. The form's field names the parameter's errors.
/// </summary>
public sealed class SiteErrorResponsesTemplateTests
{
    [Theory]
    [InlineData("site-not-found-page", "/errors/404.html", 404)]
    [InlineData("site-single-page-app", "/index.html", 200)]
    public void Both_origin_statuses_of_a_missing_object_become_the_sites_answer(string spec, string page, int status)
    {
        var responses = ErrorResponses(spec)!.AsArray();

        Assert.Equal(
            [$"403 -> {status} {page} 10", $"404 -> {status} {page} 10"],
            responses.Select(r => $"{r!["ErrorCode"]} -> {r["ResponseCode"]} {r["ResponsePagePath"]} {r["ErrorCachingMinTTL"]}"));
    }

    [Theory]
    [InlineData("site-defaults")]
    [InlineData("site-example")]
    public void A_site_with_neither_has_no_custom_error_responses(string spec)
    {
        Assert.Null(ErrorResponses(spec));
    }

    [Fact]
    public void The_parameters_carry_the_setting_and_single_page_mode_wins()
    {
        var renderer = RenderMatrix.Renderer(RenderMatrix.DefaultSettings);
        var spec = (SiteSpec)RenderMatrix.Specs["site-not-found-page"];

        var site = renderer.Render(new RenderRequest(RenderMatrix.RequestId, 1, "Alice Requester", spec), DeploymentEnvironment.Production).Stacks.Single(s => s.Kind == StackKind.Site);

        Assert.Equal(("/errors/404.html", "false"), (site.Parameter("NotFoundPagePath"), site.Parameter("SinglePageApplication")));
    }

    [Fact]
    public void A_single_page_application_has_no_default_document_function_and_other_sites_keep_it()
    {
        Assert.Null(DefaultBehavior("site-single-page-app")["FunctionAssociations"]);
        Assert.Equal("viewer-request", DefaultBehavior("site-not-found-page")["FunctionAssociations"]![0]!["EventType"]!.GetValue<string>());
    }

    private static JsonNode DefaultBehavior(string spec)
    {
        var site = RenderMatrix.Render(spec, "production", "default").Stacks.Single(s => s.Kind == StackKind.Site);
        return DeployedStacks.Resolved(site)["Resources"]!["Distribution"]!["Properties"]!["DistributionConfig"]!["DefaultCacheBehavior"]!;
    }

    private static JsonNode? ErrorResponses(string spec)
    {
        var site = RenderMatrix.Render(spec, "production", "default").Stacks.Single(s => s.Kind == StackKind.Site);
        return DeployedStacks.Resolved(site)["Resources"]!["Distribution"]!["Properties"]!["DistributionConfig"]!["CustomErrorResponses"];
    }
}
