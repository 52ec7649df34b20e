using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Templates;
using Portal.Core.Deployments;

namespace Portal.Infrastructure.Deployments;

/// <summary>What the engine deploys: the rendered stacks of a request, the account's shared stack and where site content lives.</summary>
public interface IDeploymentStackSource
{
    RenderedStack Shared();

    /// <summary>The shared stack of a registered account (its own name, region and buckets); null is the default account.</summary>
    RenderedStack SharedFor(string? account) => Shared();

    RenderResult Render(PortalRequest request, RequestRevision revision, DeploymentEnvironment environment);

    /// <summary>The bucket that holds every site's content under <c>testing/</c> and <c>production/</c>.</summary>
    string ContentBucket { get; }

    /// <summary>Region of the content bucket (the shared stack's region).</summary>
    string ContentRegion { get; }

    /// <summary>The release of the templates these stacks are rendered from (<see cref="Core.Templates.TemplateRelease"/>), recorded on every stack deployed.</summary>
    string TemplateRelease { get; }
}

/// <summary>
/// The templates in <c>templates/</c>, rendered by <see cref="StackRenderer"/>: with the configured settings for the
/// default account, and with a registered account's own settings (<see cref="PortalStackSettings.ForAccount"/>) for a
/// request that names it.
/// </summary>
public sealed class RendererStackSource(StackRenderer renderer, PortalStackSettings settings, TemplateLibrary? templates = null, Accounts.TargetAccountDirectory? accounts = null)
    : IDeploymentStackSource
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Name, string Region), StackRenderer> _renderers = new();

    public string ContentBucket => settings.ContentBucketName;

    public string ContentRegion => settings.SharedRegion;

    public string TemplateRelease => renderer.Release;

    public RenderedStack Shared() => renderer.RenderShared();

    public RenderedStack SharedFor(string? account) => RendererFor(account).RenderShared();

    public RenderResult Render(PortalRequest request, RequestRevision revision, DeploymentEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(revision);
        return RendererFor(revision.Spec.Account).Render(RenderRequest.From(request, revision), environment);
    }

    private StackRenderer RendererFor(string? name)
    {
        if (Core.Accounts.TargetAccount.IsDefault(name) || templates is null || accounts is null)
        {
            return renderer;
        }

        var account = accounts.Find(name)
            ?? throw new InvalidOperationException($"The account '{name}' is not registered (any more); an admin registers it on the Accounts page.");
        return _renderers.GetOrAdd((account.Name, account.Region), _ => new StackRenderer(templates, settings.ForAccount(account)));
    }
}
