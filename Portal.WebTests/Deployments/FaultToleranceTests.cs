using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Aws.Loopback;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Deployments;

/// <summary>Under a 20% fault rate (throttling, 500/503, slow answers, dropped connections) every deployment still ends, and nothing is done twice.</summary>
public sealed class FaultToleranceTests : IAsyncLifetime
{
    private EngineHarness _h = null!;

    public async Task InitializeAsync() => _h = await EngineHarness.StartAsync(seed: 20);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task At_a_20_percent_fault_rate_every_deployment_reaches_its_terminal_state_with_no_duplicate_stack_change_set_or_execution()
    {
        _h.Aws.Faults.Rate = 0.2;
        _h.Aws.Faults.SlowDelay = TimeSpan.FromSeconds(1.5);
        var site = TestSpecs.Site("docs.example.com");
        _h.Aws.CloudFormation.FailResource(Portal.Core.Templates.StackNaming.Site("portal", DeploymentEnvironment.Testing, "broken.example.com"), "Distribution", "Invalid request provided: AWS::CloudFront::Distribution");
        var ids = new List<Guid>
        {
            await _h.SubmitAsync(site),
            await _h.SubmitAsync(TestSpecs.Site("blog.example.com") with { RedirectFrom = [] }),
            await _h.SubmitAsync(TestSpecs.Site("broken.example.com") with { RedirectFrom = [] }),
            await _h.SubmitAsync(TestSpecs.MtaSts("example.com")),
            await _h.SubmitAsync(TestSpecs.MtaSts("example.net") with { HostedZoneId = _h.Aws.Route53.AddZone("example.net") }),
        };

        await _h.RunUntilAsync(async () =>
        {
            foreach (var id in ids)
            {
                if ((await _h.RequestAsync(id)).State is not (RequestState.TestingReady or RequestState.TestingFailed))
                {
                    return false;
                }
            }

            return true;
        }, TimeSpan.FromMinutes(4));

        var states = new List<RequestState>();
        foreach (var id in ids)
        {
            states.Add((await _h.RequestAsync(id)).State);
        }

        Assert.Equal([RequestState.TestingReady, RequestState.TestingReady, RequestState.TestingFailed, RequestState.TestingReady, RequestState.TestingReady], states);
        Assert.Contains("Invalid request provided", (await _h.RequestAsync(ids[2])).FailureMessage, StringComparison.Ordinal);

        var cf = _h.Aws.CloudFormation;
        Assert.All(cf.StacksCreated, s => Assert.Equal(1, s.Value));
        Assert.All(cf.ChangeSetsCreated, s => Assert.Equal(1, s.Value));
        Assert.All(cf.Executions, s => Assert.Equal(1, s.Value));
        Assert.Equal(cf.StacksCreated.Count, cf.Executions.Count);
        Assert.Equal(7, cf.StacksCreated.Keys.Count(k => !k.StartsWith("portal-headers-", StringComparison.Ordinal)));

        var faults = _h.Aws.Calls.Where(c => c.Fault is not null).GroupBy(c => c.Fault!.Value).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Enum.GetValues<FaultKind>().Length, faults.Count);
        Assert.Empty(_h.Aws.Violations);
    }
}
