using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Templates;
using Portal.Core.Deployments;

namespace Portal.Infrastructure.Deployments;

/// <summary>What the engine deploys: the rendered stacks of a request, the account's shared stack and where site content lives.</summary>
public interface IDeploymentStackSource
{
    RenderedStack Shared();

    RenderResult Render(PortalRequest request, RequestRevision revision, DeploymentEnvironment environment);

    /// <summary>The bucket that holds every site's content under <c>testing/</c> and <c>production/</c>.</summary>
    string ContentBucket { get; }

    /// <summary>Region of the content bucket (the shared stack's region).</summary>
    string ContentRegion { get; }

    /// <summary>The release of the templates these stacks are rendered from (<see cref="Core.Templates.TemplateRelease"/>), recorded on every stack deployed.</summary>
    string TemplateRelease { get; }
}

/// <summary>The templates in <c>templates/</c>, rendered by <see cref="StackRenderer"/>.</summary>
public sealed class RendererStackSource(StackRenderer renderer, PortalStackSettings settings) : IDeploymentStackSource
{
    public string ContentBucket => settings.ContentBucketName;

    public string ContentRegion => settings.SharedRegion;

    public string TemplateRelease => renderer.Release;

    public RenderedStack Shared() => renderer.RenderShared();

    public RenderResult Render(PortalRequest request, RequestRevision revision, DeploymentEnvironment environment) =>
        renderer.Render(RenderRequest.From(request, revision), environment);
}
