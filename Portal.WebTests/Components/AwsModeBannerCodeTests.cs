using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Layout;
using Portal.Infrastructure.Aws;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>The mode banner shows settings and commands as code, never as literal backticks.</summary>
public sealed class AwsModeBannerCodeTests : IAsyncLifetime
{
    private PortalComponentContext _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalComponentContext.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Theory]
    [InlineData(AwsModeSetting.PlanOnly, "[data-plan-only]", "aws cloudformation deploy")]
    [InlineData(AwsModeSetting.Sandbox, "[data-sandbox]", "AWS:Mode=Aws")]
    public void The_banner_shows_code_as_code(AwsModeSetting setting, string banner, string code)
    {
        _portal.Bunit.Services.AddSingleton(new AwsAccess(new NoCredentials(), _portal.Clock, setting));

        var rendered = _portal.Bunit.Render<AwsModeBanner>();

        var alert = rendered.WaitForElement(banner);
        Assert.Contains(alert.QuerySelectorAll("code"), c => c.TextContent == code);
        Assert.DoesNotContain("`", alert.TextContent, StringComparison.Ordinal);
    }

    private sealed class NoCredentials : IAwsCredentialSource
    {
        public Task<AwsCredentialResult> ResolveAsync(CancellationToken ct = default) => Task.FromResult(new AwsCredentialResult(null, "none"));
    }
}
