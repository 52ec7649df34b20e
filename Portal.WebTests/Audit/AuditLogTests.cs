using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Approvals;
using Portal.Infrastructure.Audit;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Audit;

/// <summary>The audit log page's filters and its CSV export.</summary>
public sealed class AuditLogTests
{
    [Fact]
    public async Task Filters_by_request_person_action_and_date()
    {
        var db = await TestDatabases.SqliteAsync();
        var clock = new FakeTimeProvider(TestActors.SignedInAt);
        var service = new RequestService(db, clock, Options.Create(new ApprovalOptions()));
        var a = (await service.CreateAsync(TestSpecs.Site(), TestActors.Alice, submit: true)).RequestId;
        clock.Advance(TimeSpan.FromHours(1));
        var b = (await service.CreateAsync(TestSpecs.MtaSts(), TestActors.Rita, submit: false)).RequestId;
        await service.ApplyAsync(b, WorkflowAction.Withdraw, TestActors.Rita, "No longer needed");
        var log = new AuditLogQueries(db);

        Assert.Equal(4, (await log.ListAsync(new AuditLogQuery())).TotalCount);
        Assert.Equal(["Submit", "Create"], (await log.ListAsync(new AuditLogQuery { RequestId = a })).Items.Select(e => e.Action));
        Assert.Equal(["Withdraw", "Create"], (await log.ListAsync(new AuditLogQuery { Person = "rita" })).Items.Select(e => e.Action));
        Assert.Equal(2, (await log.ListAsync(new AuditLogQuery { Person = "requester" })).Items.Count(e => e.ActorId == "rita"));
        var withdraw = Assert.Single((await log.ListAsync(new AuditLogQuery { Action = "Withdraw" })).Items);
        Assert.Equal(("example.com", "No longer needed", RequestState.Draft, RequestState.Withdrawn), (withdraw.RequestName, withdraw.Reason, withdraw.FromState!.Value, withdraw.ToState));
        var early = await log.ListAsync(new AuditLogQuery { To = TestActors.SignedInAt.AddMinutes(30) });
        Assert.Equal([a, a], early.Items.Select(e => e.RequestId));
        var late = await log.ListAsync(new AuditLogQuery { From = TestActors.SignedInAt.AddMinutes(30) });
        Assert.Equal([b, b], late.Items.Select(e => e.RequestId));
    }

    [Fact]
    public async Task Csv_export_has_a_header_one_row_per_event_and_quotes_what_needs_it()
    {
        var db = await TestDatabases.SqliteAsync();
        var clock = new FakeTimeProvider(TestActors.SignedInAt);
        var service = new RequestService(db, clock, Options.Create(new ApprovalOptions()));
        var id = (await service.CreateAsync(TestSpecs.Site(), TestActors.Alice, submit: false)).RequestId;
        await service.ApplyAsync(id, WorkflowAction.Withdraw, TestActors.Alice, "=HYPERLINK(\"http://x\"), said \"no\"\nthanks");

        using var csv = new StringWriter();
        await new AuditLogQueries(db).ExportCsvAsync(new AuditLogQuery(), csv);

        var text = csv.ToString();
        Assert.StartsWith("at,request_id,request,revision,sequence,actor_id,actor,action,from,to,reason\r\n", text, StringComparison.Ordinal);
        Assert.Contains($"2026-11-28T09:00:00.000Z,{id},docs.example.com,1,1,alice,Alice Requester,Create,,Draft,\r\n", text, StringComparison.Ordinal);
        Assert.Contains($"2026-11-28T09:00:00.000Z,{id},docs.example.com,1,2,alice,Alice Requester,Withdraw,Draft,Withdrawn,\"'=HYPERLINK(\"\"http://x\"\"), said \"\"no\"\"\nthanks\"\r\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+cmd", "'+cmd")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("", "")]
    public void Csv_fields_are_rfc4180_and_never_formulas(string value, string expected) =>
        Assert.Equal(expected, AuditCsv.Field(value));
}
