using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Tests.Deployments;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Preflight;

/// <summary>The preflight reads the hosted zone a request names and the records at the names its stacks create.</summary>
public sealed class PreflightZoneTests : IAsyncLifetime
{
    private EngineHarness _h = null!;

    public async Task InitializeAsync() => _h = await EngineHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task A_request_the_account_can_take_passes_every_check()
    {
        var report = await RunAsync(TestSpecs.Site());

        Assert.Equal(
            ["buckets", "certificate.region", "zone.names", "zone.id", "zone.records", "quota.distributions", "quota.response-headers-policies", "quota.functions", "quota.origin-access-controls"],
            report.Findings.Select(f => f.Id));
        Assert.All(report.Findings, f => Assert.Equal(PreflightSeverity.Ok, f.Severity));
        Assert.Null(report.FailureMessage);
        Assert.Contains(_h.Aws.Endpoint.Calls, c => c is { Service: "servicequotas", Operation: "GetServiceQuota" });
        Assert.Contains(_h.Aws.Endpoint.Calls, c => c is { Service: "route53", Operation: "GetHostedZone" });
        Assert.Empty(_h.Aws.Violations);
    }

    [Fact]
    public async Task The_id_of_another_zone_fails_and_names_the_id_of_the_zone_meant()
    {
        var other = _h.Aws.Route53.AddZone("example.org", "Z0EXAMPLEORG1");

        var report = await RunAsync(TestSpecs.Site() with { HostedZoneId = other });

        var zone = Assert.Single(report.Findings, f => f.Id == "zone.id");
        Assert.Equal(PreflightSeverity.Failure, zone.Severity);
        Assert.Equal("The hosted zone Z0EXAMPLEORG1 is example.org, not example.com. Edit the request and choose example.com with the id Z0123456789ABC.", zone.Message);
        Assert.DoesNotContain(report.Findings, f => f.Id == "zone.records");
        Assert.Empty(_h.Aws.Violations);
    }

    [Fact]
    public async Task A_zone_id_the_account_does_not_hold_fails()
    {
        var report = await RunAsync(TestSpecs.Site() with { HostedZoneId = "Z9NOSUCHZONE" });

        Assert.Equal(
            "The hosted zone Z9NOSUCHZONE does not exist in this account. Edit the request and choose example.com with the id Z0123456789ABC.",
            Assert.Single(report.Findings, f => f.Id == "zone.id" && f.Severity == PreflightSeverity.Failure).Message);
        Assert.Empty(_h.Aws.Violations);
    }

    [Fact]
    public async Task A_CNAME_at_a_name_the_stacks_serve_fails_and_a_validation_CNAME_beside_it_does_not()
    {
        _h.Aws.Route53.AddRecord(TestSpecs.ZoneId, "test.www.docs.example.com", "CNAME", value: "elsewhere.example.net");
        _h.Aws.Route53.AddRecord(TestSpecs.ZoneId, "_3f2a9c.test.docs.example.com", "CNAME", value: "_8d1e.acm-validations.aws.");

        var report = await RunAsync(TestSpecs.Site());

        var records = Assert.Single(report.Findings, f => f.Id == "zone.records");
        Assert.Equal(PreflightSeverity.Failure, records.Severity);
        Assert.Equal(
            "test.www.docs.example.com CNAME already exists in Route53 (elsewhere.example.net) and was not made by the portal; remove it or choose another name.",
            records.Message);
        Assert.Empty(_h.Aws.Violations);
    }

    private async Task<PreflightReport> RunAsync(SiteSpec spec)
    {
        var id = await _h.SubmitAsync(spec);
        return await _h.NewPreflight().RunAsync(await _h.RequestAsync(id), DeploymentEnvironment.Testing);
    }
}

/// <summary>The records a request's own stacks made are no conflict when it deploys again, to the next environment.</summary>
public sealed class PreflightOwnRecordsTests
{
    [Fact]
    public async Task An_MTA_STS_policy_deployed_to_testing_passes_the_record_check_for_production()
    {
        await using var h = await EngineHarness.StartAsync();
        var id = await h.SubmitAsync(TestSpecs.MtaSts());
        await h.RunUntilStateAsync(id, Portal.Core.Workflow.RequestState.TestingReady, Portal.Core.Workflow.RequestState.TestingFailed);
        Assert.Equal(Portal.Core.Workflow.RequestState.TestingReady, (await h.RequestAsync(id)).State);

        var report = await h.NewPreflight().RunAsync(await h.RequestAsync(id), DeploymentEnvironment.Production);

        Assert.Equal(PreflightSeverity.Ok, Assert.Single(report.Findings, f => f.Id == "zone.records").Severity);
        Assert.Null(report.FailureMessage);
        Assert.Empty(h.Aws.Violations);
    }
}
