using Portal.Core.Deployments;

namespace Portal.Tests.Deployments;

/// <summary>A production plan goes stale when anything it was made from changes, and says which.</summary>
public sealed class PlanStalenessTests
{
    private static readonly Guid Content1 = Guid.Parse("0193a1b2-0000-7000-8000-000000000001");
    private static readonly Guid Content2 = Guid.Parse("0193a1b2-0000-7000-8000-000000000002");
    private static readonly PlanBasis Made = new(2, Content1, 1, "templates-a", "stacks-a");

    [Fact]
    public void The_same_basis_keeps_the_plan()
    {
        Assert.Null(Made.StaleReason(Made with { }));
    }

    [Fact]
    public void Each_changed_input_makes_the_plan_stale_with_its_own_reason()
    {
        Assert.Equal("the request changed to revision 3", Made.StaleReason(Made with { Revision = 3 }));
        Assert.Equal("testing's content changed to version 2", Made.StaleReason(Made with { ContentVersionId = Content2, ContentVersionNumber = 2 }));
        Assert.Equal("the production templates or parameters changed (a new template release)", Made.StaleReason(Made with { TemplateFingerprint = "templates-b" }));
        Assert.Equal("a production stack changed or drifted since the plan was made", Made.StaleReason(Made with { StacksFingerprint = "stacks-b" }));
    }

    [Fact]
    public void Only_ready_change_sets_are_named_in_the_audit_trail()
    {
        var plan = new ProductionPlan
        {
            Stacks =
            [
                new PlannedStack("a", "us-east-1", Portal.Core.Templates.StackKind.Site, "cs-a", "UPDATE", PlannedStackStatus.Ready) { ChangeSetId = "arn:a" },
                new PlannedStack("b", "us-east-1", Portal.Core.Templates.StackKind.Redirect, "cs-b", "UPDATE", PlannedStackStatus.NoChanges) { ChangeSetId = "arn:b" },
            ],
        };

        Assert.Equal("arn:a", plan.ChangeSetIds);
        Assert.Equal("none", new ProductionPlan().ChangeSetIds);
    }
}
