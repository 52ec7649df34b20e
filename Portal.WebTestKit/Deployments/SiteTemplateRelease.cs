using System.Text.Json.Nodes;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Infrastructure.Deployments;

namespace Portal.Tests.Deployments;

/// <summary>
/// The stacks another release of the portal renders: the same as <paramref name="inner"/>, except that each site stack's
/// template is changed by <paramref name="change"/> (a later release's template, or an earlier one's), named
/// <paramref name="release"/> (by default the inner release with <c>-next</c> appended).
/// </summary>
public sealed class SiteTemplateRelease(IDeploymentStackSource inner, Action<JsonObject> change, string? release = null) : IDeploymentStackSource
{
    public string TemplateRelease { get; } = release ?? inner.TemplateRelease + "-next";

    public string ContentBucket => inner.ContentBucket;

    public string ContentRegion => inner.ContentRegion;

    public RenderedStack Shared() => inner.Shared();

    public RenderResult Render(PortalRequest request, RequestRevision revision, DeploymentEnvironment environment)
    {
        var rendered = inner.Render(request, revision, environment);
        return rendered with
        {
            Stacks = [.. rendered.Stacks.Select(s => s.Kind == StackKind.Site ? s with { TemplateBody = Changed(s.TemplateBody) } : s)],
        };
    }

    private string Changed(string body)
    {
        var template = JsonNode.Parse(body)!.AsObject();
        change(template);
        return template.ToJsonString();
    }
}
