using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Requests;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>The new-site form: messages from Portal.Core's validation, the live header grade, and submission.</summary>
public sealed class SiteRequestFormTests : IAsyncLifetime
{
    private PortalComponentContext _portal = default!;

    private BunitContext _ctx => _portal.Bunit;

    private RequestService _service => _portal.Requests;

    private RequestQueries _queries => _portal.Queries;

    public async Task InitializeAsync() => _portal = await PortalComponentContext.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task Submitting_an_empty_form_shows_each_fields_message_and_saves_nothing()
    {
        var form = _ctx.Render<SiteRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice));

        await form.Find("button[data-submit]").ClickAsync(new());

        Assert.Contains("Host is required.", form.Markup, StringComparison.Ordinal);
        Assert.Contains("Hosted zone name is required.", form.Markup, StringComparison.Ordinal);
        Assert.Contains("Hosted zone id is required.", form.Markup, StringComparison.Ordinal);
        Assert.Contains("Some fields need attention", form.Markup, StringComparison.Ordinal);
        Assert.Equal(0, (await _queries.ListAsync(new RequestListQuery())).TotalCount);
    }

    [Fact]
    public void A_host_outside_its_zone_is_reported_when_the_field_is_left()
    {
        var form = _ctx.Render<SiteRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice));

        Fill(form, "host", "docs.example.org");
        Fill(form, "hostedZoneName", "example.com");
        form.Find("input[data-field=host]").Blur();

        Assert.Contains("Host 'docs.example.org' is not inside the hosted zone 'example.com'.", form.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void The_grade_follows_the_csp_as_it_is_typed()
    {
        var form = _ctx.Render<SiteRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice));
        Assert.Equal("A+", form.Find("[data-grade]").GetAttribute("data-grade"));

        form.Find("textarea[data-field=csp]").Input("default-src 'self'; script-src 'self' 'unsafe-inline'");

        var grade = form.Find("[data-grade]").GetAttribute("data-grade");
        Assert.NotEqual("A+", grade);
        Assert.Contains("unsafe-inline", form.Find("[data-penalties]").TextContent, StringComparison.OrdinalIgnoreCase);

        form.Find("textarea[data-field=csp]").Input("default-src 'self'\nX: y");
        Assert.Equal("none", form.Find("[data-grade]").GetAttribute("data-grade"));
    }

    [Fact]
    public async Task A_valid_site_is_submitted_and_the_page_moves_to_it()
    {
        var form = _ctx.Render<SiteRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice));
        Fill(form, "host", "docs.example.com");
        Fill(form, "hostedZoneName", "example.com");
        Fill(form, "hostedZoneId", "Z0123456789ABC");
        form.Find("textarea[data-field=redirectFrom]").Input("www.docs.example.com\n\n");

        await form.Find("button[data-submit]").ClickAsync(new());

        var page = await _queries.ListAsync(new RequestListQuery());
        var created = Assert.Single(page.Items);
        Assert.Equal(("docs.example.com", RequestState.Submitted), (created.Name, created.State));
        Assert.Equal($"http://localhost/requests/{created.Id}", _ctx.Services.GetRequiredService<NavigationManager>().Uri);
        var spec = (SiteSpec)(await _service.GetAsync(created.Id))!.CurrentRevision.Spec;
        Assert.Equal(["www.docs.example.com"], spec.RedirectFrom);
    }

    [Fact]
    public async Task A_deploy_role_is_asked_for_with_its_repository_and_branch_and_a_bad_branch_is_reported_on_its_field()
    {
        var form = _ctx.Render<SiteRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice));
        Fill(form, "host", "docs.example.com");
        Fill(form, "hostedZoneName", "example.com");
        Fill(form, "hostedZoneId", "Z0123456789ABC");
        Fill(form, "deployRole.repository", "acme/docs-site");
        Fill(form, "deployRole.branch", "main/../prod");

        await form.Find("button[data-submit]").ClickAsync(new());
        Assert.Contains("Branch 'main/../prod' is not a branch name this role can trust", form.Markup, StringComparison.Ordinal);
        Assert.Empty((await _queries.ListAsync(new RequestListQuery())).Items);

        Fill(form, "deployRole.branch", "main");
        await form.Find("button[data-submit]").ClickAsync(new());

        var created = Assert.Single((await _queries.ListAsync(new RequestListQuery())).Items);
        Assert.Equal(new GitHubDeployRole("acme/docs-site", "main"), ((SiteSpec)(await _service.GetAsync(created.Id))!.CurrentRevision.Spec).DeployRole);
    }

    [Fact]
    public async Task A_name_someone_else_holds_is_reported_on_the_host_field()
    {
        await _service.CreateAsync(TestSpecs.Site(), TestActors.Rita, submit: false);
        var form = _ctx.Render<SiteRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice));
        Fill(form, "host", "docs.example.com");
        Fill(form, "hostedZoneName", "example.com");
        Fill(form, "hostedZoneId", "Z0123456789ABC");

        await form.Find("button[data-submit]").ClickAsync(new());

        Assert.Contains("'docs.example.com' already belongs to another request.", form.Markup, StringComparison.Ordinal);
    }

    private static void Fill(IRenderedComponent<SiteRequestForm> form, string field, string value) =>
        form.Find($"input[data-field='{field}']").Input(value);
}
