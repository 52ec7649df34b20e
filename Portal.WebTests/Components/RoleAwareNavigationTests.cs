using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Layout;
using Portal.Components.Pages.Requests;
using Portal.Core.Workflow;
using Portal.Infrastructure.Dns;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>
/// The navigation offers what the person's roles can use, and a create page tells a person without the Requester role
/// so before any form is shown; the server's own checks are unchanged (AuthorizationMatrixTests).
/// </summary>
public sealed class RoleAwareNavigationTests : IAsyncLifetime
{
    private PortalComponentContext _portal = default!;

    public async Task InitializeAsync()
    {
        _portal = await PortalComponentContext.CreateAsync(services =>
            services.AddSingleton(new MxLookup(MxLookup.CreateClient(new DnsOptions { Servers = ["127.0.0.1:9"], Timeout = TimeSpan.FromMilliseconds(200) }))));
        _portal.Bunit.AddAuthorization().SetAuthorized("someone");
    }

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    private IRenderedComponent<CascadingValue<Actor>> Render<TComponent>(Actor actor)
        where TComponent : IComponent =>
        _portal.Bunit.Render<CascadingValue<Actor>>(p => p.Add(x => x.Value, actor).AddChildContent<TComponent>());

    private static string[] Links(IRenderedComponent<CascadingValue<Actor>> nav) =>
        [.. nav.FindAll("a[href]").Select(a => a.GetAttribute("href")!)];

    [Fact]
    public void An_approver_is_not_offered_new_requests_and_is_offered_approvals()
    {
        var links = Links(Render<NavMenu>(TestActors.Bob));

        Assert.DoesNotContain("requests/new/site", links);
        Assert.DoesNotContain("requests/new/mta-sts", links);
        Assert.DoesNotContain("requests/mine", links);
        Assert.Contains("approvals", links);
        Assert.Contains("requests", links);
        Assert.Contains("health", links);
    }

    [Fact]
    public void A_requester_is_offered_new_requests_and_not_approvals()
    {
        var links = Links(Render<NavMenu>(TestActors.Alice));

        Assert.Contains("requests/new/site", links);
        Assert.Contains("requests/new/mta-sts", links);
        Assert.Contains("requests/mine", links);
        Assert.DoesNotContain("approvals", links);
    }

    [Fact]
    public void The_create_pages_tell_an_approver_up_front_and_show_no_form()
    {
        foreach (var page in new[] { Render<NewSite>(TestActors.Bob).Markup, Render<NewMtaSts>(TestActors.Bob).Markup })
        {
            Assert.Contains("Creating a request needs the Requester role, and you have the Approver role.", page, StringComparison.Ordinal);
            Assert.DoesNotContain("data-submit", page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_create_pages_show_the_form_to_a_requester()
    {
        var page = Render<NewSite>(TestActors.Alice);

        Assert.Empty(page.FindAll("[data-needs-role]"));
        Assert.NotEmpty(page.FindAll("button[data-submit]"));
    }
}
