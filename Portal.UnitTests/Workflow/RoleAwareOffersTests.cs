using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Workflow;

/// <summary>What the navigation and the create pages offer follows the roles that the server checks.</summary>
public sealed class RoleAwareOffersTests
{
    [Fact]
    public void Requesters_and_admins_may_create_and_approvers_and_the_portal_may_not()
    {
        Assert.True(AvailableActions.CanCreate(TestActors.Alice));
        Assert.True(AvailableActions.CanCreate(Actor.Person("ada", "Ada", TestActors.SignedInAt, PortalRole.Admin)));
        Assert.False(AvailableActions.CanCreate(TestActors.Bob));
        Assert.False(AvailableActions.CanCreate(Actor.System));
    }

    [Fact]
    public void Only_approvers_may_approve()
    {
        Assert.True(AvailableActions.CanApprove(TestActors.Bob));
        Assert.False(AvailableActions.CanApprove(TestActors.Alice));
        Assert.False(AvailableActions.CanApprove(Actor.Person("ada", "Ada", TestActors.SignedInAt, PortalRole.Admin)));
    }
}
