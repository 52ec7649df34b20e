using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Approvals;
using Portal.Core.Identity;
using Portal.Core.Requests;
using Portal.Core.TlsReports;
using Portal.Core.Workflow;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Requests;
using Portal.Infrastructure.TlsReports;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.TlsReports;

/// <summary>
/// Promoting an MTA-STS policy to enforce passes the gate: set to block, the promotion is refused with what evidence
/// is missing and nothing changes; with good evidence (days of reports, few failures, MX hosts passing) it goes ahead;
/// the sandbox only warns.
/// </summary>
public sealed class EnforceGateOnPromotionTests
{
    private const string Domain = "gate.example.com";

    private sealed class FixedMx(MxTransportResults results) : IMxTransportResults
    {
        public MxTransportResults Results { get; set; } = results;

        public Task<MxTransportResults> ForDomainAsync(string mailDomain, CancellationToken ct = default) => Task.FromResult(Results);
    }

    private sealed record Setup(IDbContextFactory<PortalDbContext> Db, FakeTimeProvider Clock, RequestService Requests, TlsReportIntake Intake, FixedMx Mx);

    private static async Task<Setup> SetUpAsync(bool sandbox)
    {
        var db = await TestDatabases.SqliteAsync();
        var clock = new FakeTimeProvider(TestActors.SignedInAt.AddMinutes(1));
        var mx = new FixedMx(MxTransportResults.None("not checked yet."));
        var options = Options.Create(new TlsReportOptions { GateBlocks = true, GateMinimumReportDays = 3, GateMaximumFailurePercent = 1 });
        var gate = new EnforcementGateService(new TlsReportQueries(db), mx, options, clock, sandbox);
        var requests = new RequestService(db, clock, Options.Create(new ApprovalOptions()), null, gate);
        return new Setup(db, clock, requests, new TlsReportIntake(db, new TlsReportSchema(), clock, NullLogger<TlsReportIntake>.Instance), mx);
    }

    private static async Task<Guid> AwaitingApprovalAsync(Setup s)
    {
        var id = (await s.Requests.CreateAsync(TestSpecs.MtaSts(Domain), TestActors.Alice, submit: true)).RequestId;
        foreach (var (action, actor) in new[]
        {
            (WorkflowAction.StartTestingDeployment, Actor.System), (WorkflowAction.CompleteTestingDeployment, Actor.System),
            (WorkflowAction.RequestApproval, TestActors.Alice),
        })
        {
            var result = await s.Requests.ApplyAsync(id, action, actor);
            Assert.True(result.Succeeded, $"{action}: {result.Message}");
        }

        return id;
    }

    private static async Task ReportDaysAsync(Setup s, int days)
    {
        var today = DateOnly.FromDateTime(s.Clock.GetUtcNow().UtcDateTime);
        for (var d = 1; d <= days; d++)
        {
            var json = SampleTlsReports.Daily(Domain, today.AddDays(-d), 1000, [new("starttls-not-supported", "mx2." + Domain, 1)]);
            var result = await s.Intake.ReceiveAsync(Domain, Encoding.UTF8.GetBytes(json), TlsReportEncoding.Json);
            Assert.Equal(IntakeOutcome.Stored, result.Outcome);
        }
    }

    private static Actor Bob(Setup s) => Actor.Person("bob", "Bob Approver", s.Clock.GetUtcNow(), PortalRole.Approver);

    [Fact]
    public async Task Missing_evidence_blocks_the_promotion_and_says_what_is_missing()
    {
        var s = await SetUpAsync(sandbox: false);
        var id = await AwaitingApprovalAsync(s);
        await ReportDaysAsync(s, 1);

        var result = await s.Requests.ApplyAsync(id, WorkflowAction.Promote, Bob(s));

        Assert.False(result.Succeeded);
        Assert.Equal(RefusalCode.ConditionNotMet, result.Code);
        Assert.Contains("TLS reports cover 1 of the 3 days needed.", result.Message, StringComparison.Ordinal);
        Assert.Contains("The MX hosts were not checked: not checked yet.", result.Message, StringComparison.Ordinal);
        Assert.Equal(RequestState.AwaitingApproval, (await s.Requests.GetAsync(id))!.State);
    }

    [Fact]
    public async Task Good_evidence_lets_the_promotion_go_ahead()
    {
        var s = await SetUpAsync(sandbox: false);
        var id = await AwaitingApprovalAsync(s);
        await ReportDaysAsync(s, 3);
        s.Mx.Results = new MxTransportResults(s.Clock.GetUtcNow(), [new("mx1." + Domain, true, true, true), new("mx2.mail." + Domain, true, true, true)]);

        var result = await s.Requests.ApplyAsync(id, WorkflowAction.Promote, Bob(s));

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(RequestState.Approved, result.State);
    }

    [Fact]
    public async Task The_sandbox_warns_but_lets_the_promotion_go_ahead()
    {
        var s = await SetUpAsync(sandbox: true);
        var id = await AwaitingApprovalAsync(s);

        var result = await s.Requests.ApplyAsync(id, WorkflowAction.Promote, Bob(s));

        Assert.True(result.Succeeded, result.Message);
    }
}
