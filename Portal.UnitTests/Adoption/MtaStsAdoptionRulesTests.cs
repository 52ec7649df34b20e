using Portal.Core.Adoption;
using Portal.Core.Health;
using Portal.Core.MtaSts;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Adoption;

/// <summary>
/// What an adoption records from a mail check: the served policy unchanged, or a refusal when senders could not read
/// one; the request it makes starts Adopted, owned by the person picked, and leaves through a revision or a withdrawal.
/// </summary>
public sealed class MtaStsAdoptionRulesTests
{
    private static readonly DateTimeOffset Now = TestActors.SignedInAt.AddMinutes(5);

    private static HealthReport Report(MtaStsVerdict verdict, string? id, MtaStsPolicy? policy, params Finding[] findings) =>
        new("example.com", HealthCheckKind.Mail, Now, TimeSpan.Zero, findings) { Verdict = verdict, PolicyId = id, Policy = policy, TlsRptRua = ["mailto:tls@example.com"] };

    [Theory]
    [InlineData(" Example.COM. ", "example.com", null)]
    [InlineData("", "", "Enter the mail domain to adopt, e.g. example.com.")]
    [InlineData("not a domain", "not a domain", "The mail domain must be lower-case")]
    public void The_domain_is_normalised_or_refused_with_what_is_wrong(string input, string domain, string? problemStart)
    {
        var (normalised, problem) = MtaStsAdoption.Normalize(input);

        Assert.Equal(domain, normalised);
        if (problemStart is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.NotNull(problem);
        }
    }

    [Fact]
    public void A_served_policy_is_found_with_its_mode_mx_max_age_id_rua_and_problems()
    {
        var warning = new Finding("mta-sts.max-age-short", FindingSeverity.Warning, "short");
        var preview = MtaStsAdoption.Judge("example.com", Report(MtaStsVerdict.ValidPolicy, "20240101", new MtaStsPolicy(MtaStsMode.Enforce, 86400, ["mx.example.com"]),
            new Finding("mta-sts.valid", FindingSeverity.Pass, "ok"), warning));

        Assert.True(preview.CanAdopt);
        var found = preview.Found!;
        Assert.Equal((MtaStsMode.Enforce, 86400L, "20240101"), (found.Mode, found.MaxAge, found.PolicyId));
        Assert.Equal(["mx.example.com"], found.Mx);
        Assert.Equal(["mailto:tls@example.com"], found.TlsRptRua);
        Assert.Equal([warning], found.Problems);
    }

    [Fact]
    public void A_policy_that_could_not_be_read_is_refused_with_the_checks_reason()
    {
        var preview = MtaStsAdoption.Judge("example.com", Report(MtaStsVerdict.PolicyError, "1", null,
            new Finding("mta-sts.tls-failed", FindingSeverity.Error, "No TLS connection to mta-sts.example.com.")));

        Assert.False(preview.CanAdopt);
        Assert.Equal("The policy of example.com could not be read from mta-sts.example.com: No TLS connection to mta-sts.example.com. "
            + "Only a policy senders can fetch is adopted; fix it where it is served, or make a new MTA-STS request.", preview.Refusal);
    }

    [Fact]
    public void A_domain_without_a_policy_record_is_refused()
    {
        var preview = MtaStsAdoption.Judge("example.com", Report(MtaStsVerdict.NoPolicy, null, null));

        Assert.False(preview.CanAdopt);
        Assert.StartsWith("example.com announces no MTA-STS policy", preview.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void The_adopted_request_is_owned_by_the_person_picked_and_its_next_revision_is_submitted()
    {
        var found = new FoundMtaSts("example.com", MtaStsMode.Testing, 604800, ["mx.example.com"], "1", [], []);
        var request = PortalRequest.Adopt(Guid.NewGuid(), MtaStsAdoption.Spec(found, "Z1", "Example.com."), "alice", "Alice Requester", "mail", TestActors.Dana,
            MtaStsAdoption.Summary(found), Now);

        Assert.Equal((RequestState.Adopted, "alice", "mail", 1), (request.State, request.OwnerId, request.TeamId, request.CurrentRevisionNumber));
        var spec = Assert.IsType<MtaStsSpec>(request.CurrentRevision.Spec);
        Assert.Equal(("Z1", "example.com"), (spec.HostedZoneId, spec.HostedZoneName));
        Assert.Equal(("Adopt", "dana"), (request.AuditEvents.Single().Action, request.AuditEvents.Single().ActorId));

        var revised = request.Revise(spec with { Mode = MtaStsMode.Enforce }, TestActors.Alice, Now, TimeSpan.FromMinutes(15));

        Assert.True(revised.Allowed, revised.Reason);
        Assert.Equal((RequestState.Submitted, 2), (request.State, request.CurrentRevisionNumber));
    }

    [Fact]
    public void Withdrawing_an_adopted_request_needs_a_reason_and_another_requester_cannot()
    {
        var found = new FoundMtaSts("example.com", MtaStsMode.Testing, 604800, ["mx.example.com"], "1", [], []);
        var request = PortalRequest.Adopt(Guid.NewGuid(), MtaStsAdoption.Spec(found, null, null), "alice", "Alice Requester", null, TestActors.Dana, "found", Now);

        var byOther = request.Apply(WorkflowAction.Withdraw, TestActors.Rita, "mine now", Now, TimeSpan.FromMinutes(15));
        var noReason = request.Apply(WorkflowAction.Withdraw, TestActors.Alice, null, Now, TimeSpan.FromMinutes(15));
        var withdrawn = request.Apply(WorkflowAction.Withdraw, TestActors.Alice, "Managed elsewhere again.", Now, TimeSpan.FromMinutes(15));

        Assert.Equal((RefusalCode.NotOwner, RefusalCode.ReasonRequired), (byOther.Code, noReason.Code));
        Assert.True(withdrawn.Allowed);
        Assert.Equal(RequestState.Withdrawn, request.State);
    }
}
