using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Deployments;
using Portal.Infrastructure.Deployments;
using Portal.Infrastructure.Persistence;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Tests.Aws.Loopback;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Deployments;

/// <summary>The whole portal (its background worker and configuration) stopped in the middle of a deployment and started again.</summary>
public sealed class PortalRestartTests
{
    [Fact]
    public async Task A_portal_stopped_mid_deployment_resumes_tracking_after_restart_and_ends_in_the_right_state()
    {
        await using var aws = await LoopbackAws.StartAsync(timings: new LifecycleTimings { ResourceStep = TimeSpan.FromMilliseconds(500) });
        aws.Route53.AddZone(TestSpecs.ZoneName, TestSpecs.ZoneId);
        var data = Directory.CreateTempSubdirectory("portal-restart-").FullName;
        var settings = PortalAwsSettings.For(aws, data, withCredentials: true);
        var site = StackNaming.Site("portal", DeploymentEnvironment.Testing, "docs.example.com");
        Guid id;

        await using (var first = new PortalFactory(settings))
        {
            var requests = first.Services.GetRequiredService<RequestService>();
            var created = await requests.CreateAsync(TestSpecs.Site() with { RedirectFrom = [] }, TestActors.Alice, submit: true);
            Assert.True(created.Succeeded, created.Message);
            id = created.RequestId;
            var db = first.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
            await WaitAsync(async () =>
            {
                await using var ctx = await db.CreateDbContextAsync();
                return await ctx.StackOperations.AnyAsync(o => o.StackName == site && o.Step == StackStep.Tracking);
            });
        }

        // Stopped while CloudFormation is still creating the site stack.
        Assert.Equal("CREATE_IN_PROGRESS", aws.CloudFormation.StatusOf("us-east-1", site));
        var callsWhileStopped = aws.Calls.Count;
        await Task.Delay(300);
        Assert.Equal(callsWhileStopped, aws.Calls.Count);

        await using (var second = new PortalFactory(settings))
        {
            var requests = second.Services.GetRequiredService<RequestService>();
            Assert.Equal(RequestState.TestingDeploying, (await requests.GetAsync(id))!.State);
            await WaitAsync(async () => (await requests.GetAsync(id))!.State is RequestState.TestingReady or RequestState.TestingFailed);
            Assert.Equal(RequestState.TestingReady, (await requests.GetAsync(id))!.State);

            var db = second.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
            await using var ctx = await db.CreateDbContextAsync();
            var stored = await ctx.StackEvents.CountAsync(e => e.StackName == site);
            Assert.Equal(await aws.CloudFormation.EventCountAsync("us-east-1", site), stored);
            Assert.Equal(1, await ctx.DeploymentRuns.CountAsync(r => r.RequestId == id));
        }

        Assert.Equal(1, aws.CloudFormation.StacksCreated[site]);
        Assert.Equal(1, aws.CloudFormation.ChangeSetsCreated[site]);
        Assert.Equal(3, aws.CloudFormation.Executions.Count); // shared, headers, site
        Assert.All(aws.CloudFormation.Executions, e => Assert.Equal(1, e.Value));
        Assert.Equal("CREATE_COMPLETE", aws.CloudFormation.StatusOf("us-east-1", site));
        Assert.Empty(aws.Violations);
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(50);
        }
    }
}
