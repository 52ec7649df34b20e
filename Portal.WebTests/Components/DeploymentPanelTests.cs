using Amazon.Runtime;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Deployments;
using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Infrastructure.Aws;
using Portal.Infrastructure.Deployments;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>The deployment panel of a request: each run with its status in words.</summary>
public sealed class DeploymentPanelTests : IAsyncLifetime
{
    private PortalComponentContext _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalComponentContext.CreateAsync(services =>
    {
        services.AddSingleton<DeploymentStatusFeed>();
        services.AddSingleton<IDeploymentStackSource>(new RendererStackSource(new StackRenderer(TemplateLibrary.LoadEmbedded(), PortalStackSettings.Example), PortalStackSettings.Example));
    });

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Theory]
    [InlineData(DeploymentEnvironment.Production, "Copying content to production")]
    [InlineData(DeploymentEnvironment.Testing, "Moving testing's content to its own bucket")]
    public async Task A_run_copying_content_says_so(DeploymentEnvironment environment, string expected)
    {
        var created = await _portal.Requests.CreateAsync(TestSpecs.Site(), TestActors.Alice, submit: true);
        Assert.True(created.Succeeded, created.Message);
        var now = _portal.Clock.GetUtcNow();
        await using (var db = await _portal.Db.CreateDbContextAsync())
        {
            db.DeploymentRuns.Add(new DeploymentRun
            {
                Id = Guid.NewGuid(), RequestId = created.RequestId, Revision = 1, RequestVersion = 1, Environment = environment,
                Action = RunAction.Deploy, Status = RunStatus.CopyingContent, CreatedAt = now, UpdatedAt = now, NextCheckAt = now,
            });
            await db.SaveChangesAsync();
        }

        _portal.Bunit.Services.AddSingleton(new DeploymentQueries(_portal.Db));
        _portal.Bunit.Services.AddSingleton(new AwsAccess(new KnownCredentials(), _portal.Clock));
        var request = (await _portal.Requests.GetAsync(created.RequestId))!;

        var panel = _portal.Bunit.Render<DeploymentPanel>(p => p.Add(c => c.Request, request));

        panel.WaitForAssertion(() => Assert.Equal(expected, panel.Find("[data-run-status=CopyingContent]").TextContent.Trim()));
    }

    /// <summary>Credentials are there, so the panel shows runs rather than the plan-only downloads; nothing calls AWS.</summary>
    private sealed class KnownCredentials : IAwsCredentialSource
    {
        public Task<AwsCredentialResult> ResolveAsync(CancellationToken ct = default) =>
            Task.FromResult(new AwsCredentialResult(new ImmutableCredentials("AKIDEXAMPLE", "secret", null), null));
    }
}
