using Bunit;
using MudBlazor.Services;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Deployments;
using Portal.Core.Deployments;
using Portal.Core.Templates;

namespace Portal.Tests.Components;

/// <summary>The approval page's view of CloudFormation's plan for production: per stack, each resource's action, replacement, scope and causes.</summary>
public sealed class ProductionPlanPanelTests : IAsyncDisposable
{
    private const string ChangeSetId = "arn:aws:cloudformation:us-east-1:123456789012:changeSet/portal-plan-0193a1b2c3d4-0/5f1c";
    private readonly BunitContext _ctx = new();

    public ProductionPlanPanelTests()
    {
        _ctx.Services.AddMudServices();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public ValueTask DisposeAsync() => _ctx.DisposeAsync();

    [Fact]
    public void A_ready_plan_shows_each_resource_with_action_replacement_scope_and_the_properties_causing_it()
    {
        var plan = Plan(PlanStatus.Ready, new PlannedStack("portal-site-production-docs-example-com", "us-east-1", StackKind.Site, "portal-plan-0193a1b2c3d4-0", "UPDATE", PlannedStackStatus.Ready)
        {
            ChangeSetId = ChangeSetId,
            Changes =
            [
                new PlannedChange("Modify", "Distribution", "E2ABC", "AWS::CloudFront::Distribution", "False", ["Properties"],
                    [new PlannedChangeDetail("Properties", "DistributionConfig", "Never", "Static", "DirectModification", null)]),
                new PlannedChange("Modify", "Certificate", "arn:cert", "AWS::CertificateManager::Certificate", "True", ["Properties", "Tags"],
                    [new PlannedChangeDetail("Properties", "DomainName", "Always", "Static", "DirectModification", null), new PlannedChangeDetail("Tags", null, "Never", "Static", "DirectModification", null)]),
                new PlannedChange("Add", "AaaaRecord", null, "AWS::Route53::RecordSet", null, [], []),
            ],
        });

        var cut = _ctx.Render<ProductionPlanPanel>(p => p.Add(x => x.Plan, plan));

        var stack = cut.Find("[data-plan-stack='portal-site-production-docs-example-com']");
        Assert.Equal(ChangeSetId, stack.QuerySelector("[data-change-set]")!.TextContent);
        var rows = cut.FindAll("tr[data-plan-change]").Select(r => (
            r.GetAttribute("data-plan-change"), r.QuerySelector("[data-plan-action]")!.TextContent, r.QuerySelector("[data-plan-replacement]")!.TextContent,
            r.QuerySelector("[data-plan-scope]")!.TextContent, r.QuerySelector("[data-plan-causes]")!.TextContent)).ToList();
        Assert.Equal(
        [
            ("Distribution", "Modify", "False", "Properties", "DistributionConfig"),
            ("Certificate", "Modify", "True", "Properties, Tags", "DomainName (recreation: always), Tags"),
            ("AaaaRecord", "Add", "-", "-", "-"),
        ], rows);
        Assert.Empty(cut.FindAll("[data-plan-creating]"));
    }

    [Fact]
    public void While_the_plan_is_created_the_panel_says_promote_waits()
    {
        var cut = _ctx.Render<ProductionPlanPanel>(p => p.Add(x => x.Plan, Plan(PlanStatus.Creating)));

        Assert.Equal("CloudFormation's change sets for production are being created. Promote waits until this plan is ready to review.",
            cut.Find("[data-plan-creating]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-plan-stack]"));
    }

    [Fact]
    public void A_replaced_plan_tells_the_approver_to_review_again_and_why()
    {
        var stale = Plan(PlanStatus.Stale);
        stale.StaleReason = "testing's content changed to version 2";

        var cut = _ctx.Render<ProductionPlanPanel>(p => p.Add(x => x.Plan, Plan(PlanStatus.Ready)).Add(x => x.Replaced, stale));

        Assert.Equal("The plan changed, review again: testing's content changed to version 2. The change sets below replace the ones shown before.",
            cut.Find("[data-plan-replaced]").TextContent.Trim());
    }

    [Fact]
    public void Shared_stacks_the_promotion_also_updates_are_named_with_why_they_are_not_planned()
    {
        SharedStackUpdate[] updates =
        [
            new("portal-shared", "us-east-1", StackKind.Shared),
            new("portal-headers-3f2a9c", "us-east-1", StackKind.Headers),
        ];

        var cut = _ctx.Render<ProductionPlanPanel>(p => p.Add(x => x.Plan, Plan(PlanStatus.Ready)).Add(x => x.SharedUpdates, updates));

        var items = cut.FindAll("[data-plan-shared-update]").Select(li => (li.GetAttribute("data-plan-shared-update"), li.TextContent.Trim())).ToList();
        Assert.Equal(
        [
            ("portal-shared", "portal-shared (us-east-1), the shared stack every request in this account uses: Promote deploys its new template before this request's stacks. "
                + "It is not planned here because other requests use it too: whichever promotion comes first deploys it, so a change set made for this approval could be stale before it runs."),
            ("portal-headers-3f2a9c", "portal-headers-3f2a9c (us-east-1), the security-headers stack every site with these headers uses: Promote deploys its new template before this request's stacks. "
                + "It is not planned here because other requests use it too: whichever promotion comes first deploys it, so a change set made for this approval could be stale before it runs."),
        ], items);
        Assert.StartsWith("Promote also updates stacks that are not in this plan:", cut.Find("[data-plan-shared-updates]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Empty(_ctx.Render<ProductionPlanPanel>(p => p.Add(x => x.Plan, Plan(PlanStatus.Ready))).FindAll("[data-plan-shared-updates]"));
    }

    private static ProductionPlan Plan(PlanStatus status, params PlannedStack[] stacks) => new()
    {
        Id = Guid.NewGuid(),
        RequestId = Guid.NewGuid(),
        Revision = 1,
        Status = status,
        CreatedAt = DateTimeOffset.UnixEpoch,
        Stacks = stacks,
    };
}
