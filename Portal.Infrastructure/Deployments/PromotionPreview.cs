using Portal.Core.Approvals;
using Portal.Core.Requests;
using Portal.Core.Templates;

namespace Portal.Infrastructure.Deployments;

/// <summary>One production stack as promotion would deploy it, compared with what that stack last deployed.</summary>
public sealed record PromotionStackChange(RenderedStack Stack, TemplateComparison Changes);

/// <summary>What promoting a request changes in production, or why its production stacks cannot be rendered.</summary>
public sealed record PromotionPreviewResult(IReadOnlyList<PromotionStackChange> Stacks, string? Problem);

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

        return new(previews, null);
    }
}
