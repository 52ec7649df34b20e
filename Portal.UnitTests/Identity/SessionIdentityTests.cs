using System.Security.Claims;
using Portal.Core.Identity;
using Portal.Core.Workflow;

namespace Portal.Tests.Identity;

/// <summary>
/// A provider's token becomes the portal session (roles from the configured claim and map, MFA flag, auth_time),
/// and the session becomes the workflow's Actor.
/// </summary>
public sealed class SessionIdentityTests
{
    private static readonly SignInRules Rules = new(
        MfaRule.Default,
        new RoleMapping("roles", new Dictionary<string, PortalRole> { ["5f0c-approvers-group"] = PortalRole.Approver }),
        ["oid", "sub"]);

    private static ClaimsPrincipal Session(params (string Type, string Value)[] claims) =>
        new(Rules.CreateSessionIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "Cookies", null));

    [Fact]
    public void Actor_has_subject_name_roles_and_authentication_time()
    {
        var actor = ActorFactory.FromPrincipal(Session(
            ("oid", "0b5d-oid"), ("sub", "pairwise"), ("name", "Ann Example"), ("roles", "Requester"), ("roles", "5f0c-approvers-group"),
            ("roles", "Unrelated.Role"), ("amr", "mfa"), ("auth_time", "1795856400")))!;

        Assert.Equal("0b5d-oid", actor.Id);
        Assert.Equal("Ann Example", actor.DisplayName);
        Assert.Equal(new HashSet<PortalRole> { PortalRole.Requester, PortalRole.Approver }, actor.Roles);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795856400), actor.AuthenticatedAt);
    }

    [Fact]
    public void Role_names_are_case_insensitive_and_numbers_are_not_roles()
    {
        var actor = ActorFactory.FromPrincipal(Session(("sub", "s"), ("roles", "admin"), ("roles", "1"), ("roles", "[\"approver\"]")))!;

        Assert.Equal(new HashSet<PortalRole> { PortalRole.Admin, PortalRole.Approver }, actor.Roles);
    }

    [Fact]
    public void Mfa_flag_is_set_only_when_the_rule_holds()
    {
        Assert.True(ActorFactory.HasMfa(Session(("sub", "s"), ("amr", "pwd"), ("amr", "mfa"))));
        Assert.False(ActorFactory.HasMfa(Session(("sub", "s"), ("amr", "pwd"))));
    }

    [Fact]
    public void Without_auth_time_the_session_has_no_authentication_time_unless_the_portal_asked_for_a_fresh_sign_in()
    {
        var claims = new[] { new Claim("sub", "s"), new Claim("amr", "mfa") };
        var now = new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

        Assert.Null(ActorFactory.FromPrincipal(new ClaimsPrincipal(Rules.CreateSessionIdentity(claims, "Cookies", null)))!.AuthenticatedAt);
        Assert.Equal(now, ActorFactory.FromPrincipal(new ClaimsPrincipal(Rules.CreateSessionIdentity(claims, "Cookies", now)))!.AuthenticatedAt);
    }

    [Fact]
    public void Name_falls_back_to_preferred_username_then_email_then_subject()
    {
        Assert.Equal("ann@example.org", ActorFactory.FromPrincipal(Session(("sub", "s"), ("preferred_username", "ann@example.org")))!.DisplayName);
        Assert.Equal("s", ActorFactory.FromPrincipal(Session(("sub", "s")))!.DisplayName);
    }

    [Fact]
    public void A_token_without_a_subject_is_refused() =>
        Assert.Throws<InvalidOperationException>(() => Session(("name", "nobody")));

    [Fact]
    public void Anonymous_and_the_reserved_system_subject_are_no_actor()
    {
        Assert.Null(ActorFactory.FromPrincipal(new ClaimsPrincipal(new ClaimsIdentity())));
        Assert.Null(ActorFactory.FromPrincipal(Session(("sub", Actor.SystemId), ("roles", "Admin"))));
    }
}
