using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Deployments;
using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Infrastructure.Deployments;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>The preflight panel: each finding with its verdict, the overall verdict, and "Run checks again" reading the account again.</summary>
public sealed class PreflightPanelTests : IAsyncLifetime
{
    private readonly CountingPreflight _preflight = new();
    private PortalComponentContext _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalComponentContext.CreateAsync(services => services.AddSingleton<IDeploymentPreflight>(_preflight));

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task The_findings_show_with_their_verdicts_and_run_checks_again_reads_again()
    {
        var created = await _portal.Requests.CreateAsync(TestSpecs.Site(), TestActors.Alice, submit: true);
        Assert.True(created.Succeeded, created.Message);
        var request = (await _portal.Requests.GetAsync(created.RequestId))!;

        var panel = _portal.Bunit.Render<PreflightPanel>(p => p.Add(c => c.Request, request));

        panel.WaitForAssertion(() => Assert.Equal("Failure", panel.Find("[data-verdict]").GetAttribute("data-verdict")));
        Assert.Equal("testing", panel.Find("[data-preflight]").GetAttribute("data-preflight"));
        Assert.Equal("Checks before deploying to testing", panel.Find("h2").TextContent.Trim());
        Assert.Equal("Ok", panel.Find("[data-finding=buckets]").GetAttribute("data-severity"));
        var records = panel.Find("[data-finding='zone.records']");
        Assert.Equal("Failure", records.GetAttribute("data-severity"));
        Assert.Contains("would fail: test.docs.example.com CNAME already exists", records.TextContent, StringComparison.Ordinal);
        Assert.Equal(1, _preflight.Runs);

        // Re-rendering with the same revision reads nothing; the button reads the account again.
        panel.Render(p => p.Add(c => c.Request, request));
        Assert.Equal(1, _preflight.Runs);
        await panel.Find("[data-preflight-run]").ClickAsync(new());
        panel.WaitForAssertion(() => Assert.Equal(2, _preflight.Runs));
    }

    /// <summary>A preflight that answers the same findings each time and counts its runs; the account is not the subject here.</summary>
    private sealed class CountingPreflight : IDeploymentPreflight
    {
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        public Task<PreflightReport> RunAsync(PortalRequest request, DeploymentEnvironment environment, CancellationToken ct = default)
        {
            Interlocked.Increment(ref _runs);
            return Task.FromResult(new PreflightReport(request.Id, environment, DateTimeOffset.UnixEpoch,
            [
                new("buckets", PreflightSeverity.Ok, "The buckets are portal-content-test and portal-logs-test."),
                new("zone.records", PreflightSeverity.Failure,
                    "test.docs.example.com CNAME already exists in Route53 (elsewhere.example.net) and was not made by the portal; remove it or choose another name."),
            ]));
        }
    }
}
