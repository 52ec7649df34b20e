using System.Security.Claims;
using Portal.Core.Identity;
using Portal.Core.Workflow;

namespace Portal.Tests.Identity;

/// <summary>With a team claim configured, the provider's group values become the person's teams; without one, none do.</summary>
public sealed class TeamClaimTests
{
    private static readonly RoleMapping Roles = new("roles", new Dictionary<string, PortalRole>());

    [Fact]
    public void Group_values_of_the_configured_claim_become_the_actors_teams()
    {
        var rules = new SignInRules(MfaRule.Default, Roles, ["sub"], TeamClaim: "groups");

        var actor = Actor(rules, ("sub", "s"), ("roles", "Requester"), ("groups", "web"), ("groups", "6c1e9f0a-0b4d-4f8e-9d6e-5b7c2a1f0e3d"),
            ("groups", "Not A Team Id"), ("groups", "web"));

        Assert.Equal(new HashSet<string> { "web", "6c1e9f0a-0b4d-4f8e-9d6e-5b7c2a1f0e3d" }, actor.Teams);
        Assert.True(actor.IsMemberOf("web"));
    }

    [Fact]
    public void Without_a_team_claim_groups_are_ignored()
    {
        var actor = Actor(new SignInRules(MfaRule.Default, Roles, ["sub"]), ("sub", "s"), ("roles", "Requester"), ("groups", "web"));

        Assert.Empty(actor.Teams);
    }

    private static Actor Actor(SignInRules rules, params (string Type, string Value)[] claims) =>
        ActorFactory.FromPrincipal(new ClaimsPrincipal(rules.CreateSessionIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "Cookies", null)))!;
}
