using Portal.Core.Approvals;
using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Core.Templates;

namespace Portal.Infrastructure.Deployments;

/// <summary>One production stack as promotion would deploy it, compared with what that stack last deployed.</summary>
public sealed record PromotionStackChange(RenderedStack Stack, TemplateComparison Changes);

/// <summary>
/// What promoting a request changes in production, or why its production stacks cannot be rendered; with the shared
/// stacks the promotion deploys too (<see cref="SharedStackUpdate"/>).
/// </summary>
public sealed record PromotionPreviewResult(IReadOnlyList<PromotionStackChange> Stacks, string? Problem, IReadOnlyList<SharedStackUpdate>? SharedUpdates = null);

/// <summary>
/// Renders a request's current revision for production and compares each stack with the template and parameters it
/// last deployed: what the approver reviews on the page and a pipeline reads from the API.
/// </summary>
public sealed class PromotionPreview(IDeploymentStackSource stacks, DeploymentQueries deployments)
{
    public async Task<PromotionPreviewResult> ForAsync(PortalRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var rendered = stacks.Render(request, request.CurrentRevision, DeploymentEnvironment.Production);
        if (!rendered.IsSuccess)
        {
            return new([], string.Join(" ", rendered.Errors.Select(e => e.Message)));
        }

        var previews = new List<PromotionStackChange>();
        foreach (var stack in rendered.Stacks)
        {
            var live = await deployments.LiveTemplateAsync(stack.Region, stack.StackName, ct);
            previews.Add(new(stack, TemplateDiff.Compare(live?.Template, stack.TemplateBody, live?.Parameters, stack.ParametersJson())));
        }

        return new(previews, null, await SharedUpdatesAsync(request, rendered, ct));
    }

    /// <summary>
    /// The shared stacks promoting the request deploys before its own, as the engine decides it: the account's shared
    /// stack and the header set's headers stack, each when the template the portal last deployed is not the current one.
    /// </summary>
    public async Task<IReadOnlyList<SharedStackUpdate>> SharedUpdatesAsync(PortalRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var rendered = stacks.Render(request, request.CurrentRevision, DeploymentEnvironment.Production);
        return rendered.IsSuccess ? await SharedUpdatesAsync(request, rendered, ct) : [];
    }

    private async Task<IReadOnlyList<SharedStackUpdate>> SharedUpdatesAsync(PortalRequest request, RenderResult rendered, CancellationToken ct)
    {
        var updates = new List<SharedStackUpdate>();
        foreach (var (stack, kind) in rendered.HeadersStacks.Select(h => (h, StackKind.Headers)).Prepend((stacks.SharedFor(request.CurrentRevision.Spec.Account), StackKind.Shared)))
        {
            var live = await deployments.LiveTemplateAsync(stack.Region, stack.StackName, ct);
            if (!string.Equals(live?.Template, stack.TemplateBody, StringComparison.Ordinal))
            {
                updates.Add(new(stack.StackName, stack.Region, kind));
            }
        }

        return updates;
    }
}
