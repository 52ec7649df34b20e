using Bunit;
using Portal.Components.Pages;
using Portal.Core.Deployments;
using Portal.Core.Health;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components.Health;

/// <summary>The dashboard counts the stacks that drifted, links to their requests and marks the watched names of those requests.</summary>
public sealed class HealthDashboardDriftTests : IAsyncLifetime
{
    private HealthPortal _health = default!;

    public async Task InitializeAsync() => _health = await HealthPortal.CreateAsync();

    public async Task DisposeAsync() => await _health.DisposeAsync();

    private async Task<Guid> SiteAsync(string host, string? driftStatus)
    {
        var created = await _health.Portal.Requests.CreateAsync(TestSpecs.Site(host), TestActors.Alice, submit: true);
        Assert.True(created.Succeeded, created.Message);
        await using var db = await _health.Portal.Db.CreateDbContextAsync();
        db.Stacks.Add(new TrackedStack
        {
            Id = Guid.NewGuid(),
            StackName = "portal-site-testing-" + host.Replace('.', '-'), Region = "us-east-1", Kind = StackKind.Site, RequestId = created.RequestId,
            Environment = DeploymentEnvironment.Testing, Status = "CREATE_COMPLETE", NextCheckAt = _health.Now.AddDays(1),
            DriftStatus = driftStatus, DriftCheckedAt = _health.Now.AddHours(-1), NextDriftCheckAt = _health.Now.AddHours(20),
        });
        db.HealthTargets.Add(HealthTarget.Create(host, HealthCheckKind.Site, created.RequestId, "alice", _health.Now));
        await db.SaveChangesAsync();
        return created.RequestId;
    }

    [Fact]
    public async Task A_drifted_stack_is_counted_linked_and_its_name_marked()
    {
        var drifted = await SiteAsync("drifted.example.com", "DRIFTED");
        await SiteAsync("in-sync.example.com", "IN_SYNC");

        var page = _health.Portal.Bunit.Render<HealthDashboard>();

        page.WaitForAssertion(() => Assert.Equal("1", page.Find("[data-drifted]").GetAttribute("data-drifted")));
        Assert.Equal("1 stack was changed outside the portal.", page.Find("[data-drifted]").TextContent.Trim());
        Assert.Equal($"/requests/{drifted}", page.Find("[data-drifted-stack='portal-site-testing-drifted-example-com'] a").GetAttribute("href"));
        Assert.Contains("testing", page.Find("[data-row='drifted.example.com'] [data-drift-marker]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-row='in-sync.example.com'] [data-drift-marker]"));
    }

    [Fact]
    public void With_no_drift_the_count_says_none()
    {
        var page = _health.Portal.Bunit.Render<HealthDashboard>();

        page.WaitForAssertion(() => Assert.Equal("0", page.Find("[data-drifted]").GetAttribute("data-drifted")));
        Assert.Empty(page.FindAll("[data-drift-marker]"));
    }
}
