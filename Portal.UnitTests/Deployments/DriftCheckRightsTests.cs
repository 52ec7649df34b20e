using Portal.Core.Deployments;
using Portal.Core.Workflow;

namespace Portal.Tests.Deployments;

/// <summary>"Check drift now" is for the request's owner, approvers and admins; other requesters may look but not ask.</summary>
public sealed class DriftCheckRightsTests
{
    [Fact]
    public void The_owner_an_approver_an_admin_and_the_portal_may_check_now()
    {
        Assert.Null(StackDrift.CheckNowRefusal("alice", Actor.Person("alice", "Alice", null, PortalRole.Requester)));
        Assert.Null(StackDrift.CheckNowRefusal("alice", Actor.Person("bob", "Bob", null, PortalRole.Approver)));
        Assert.Null(StackDrift.CheckNowRefusal("alice", Actor.Person("dana", "Dana", null, PortalRole.Admin)));
        Assert.Null(StackDrift.CheckNowRefusal("alice", Actor.System));
    }

    [Fact]
    public void Another_requester_and_a_service_account_that_does_not_own_it_may_not()
    {
        Assert.NotNull(StackDrift.CheckNowRefusal("alice", Actor.Person("rita", "Rita", null, PortalRole.Requester)));
        Assert.NotNull(StackDrift.CheckNowRefusal("alice", Actor.ServiceAccount("pipeline", "Pipeline")));
    }
}
