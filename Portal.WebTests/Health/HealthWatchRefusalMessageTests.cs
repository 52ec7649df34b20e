using Bunit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Components.Pages;
using Portal.Core.Health;
using Portal.Core.Workflow;
using Portal.Health;
using Portal.Infrastructure.Health;
using Portal.Tests.Identity;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Health;

/// <summary>
/// The Watch button on the health page shows the health service's refusal as a message instead of adding the name:
/// here a person who already watches as many names as <c>Health:MaxWatchedNamesPerPerson</c> allows.
/// </summary>
public sealed class HealthWatchRefusalMessageTests
{
    [Fact]
    public async Task Past_the_limit_the_page_says_why_the_name_is_not_watched()
    {
        var settings = new Dictionary<string, string?> { ["Dns:Servers:0"] = $"127.0.0.1:{LivePortal.FreePort()}", ["Dns:Timeout"] = "00:00:01" };
        await using var engine = new ServiceCollection().AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddPortalHealth().BuildServiceProvider();
        HealthService? health = null;
        PortalComponentContext? created = null;
        await using var portal = await PortalComponentContext.CreateAsync(services => services.AddSingleton(sp => health!).AddSingleton(new HealthStatusFeed()).AddOptions()
            .AddSingleton(_ => new Portal.Infrastructure.Deployments.DriftQueries(created!.Db, created.Clock)));
        created = portal;
        health = new HealthService(portal.Db, engine.GetRequiredService<HealthChecker>(), [], Options.Create(new HealthOptions { MaxWatchedNamesPerPerson = 1 }), portal.Clock);
        var actor = Actor.Person("watcher", "Wanda Watcher", TestActors.SignedInAt, PortalRole.Requester);
        Assert.NotNull((await health.AddAsync("first.example.com", HealthCheckKind.Site, actor)).Id);

        var page = portal.Bunit.Render<HealthDashboard>(p => p.AddCascadingValue(actor));
        page.Find("input[data-field=watch-name]").Change("second.example.com");
        await page.Find("button[data-watch]").ClickAsync(new());

        Assert.Equal("You already watch 1 name, the most one person may add (Health:MaxWatchedNamesPerPerson is 1); second.example.com is not watched.",
            page.Find("[data-watch-problem]").TextContent.Trim());
        Assert.DoesNotContain(await health.ListAsync(), t => t.Name == "second.example.com");
    }
}
