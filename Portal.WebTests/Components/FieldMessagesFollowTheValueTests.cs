using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Requests;
using Portal.Infrastructure.Dns;
using Portal.Infrastructure.Requests;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>
/// A field that shows a message keeps showing the message of its current value while another invalid value is typed,
/// after it is left and after a failed submit: the summary never stands alone with nothing next to the fields.
/// </summary>
public sealed class FieldMessagesFollowTheValueTests : IAsyncLifetime
{
    private const string Underscore = "may contain only letters, digits and hyphens; '_' is not allowed.";

    private PortalComponentContext _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalComponentContext.CreateAsync(services =>
        services.AddSingleton(new MxLookup(MxLookup.CreateClient(new DnsOptions { Servers = ["127.0.0.1:9"], Timeout = TimeSpan.FromMilliseconds(200) }))));

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task The_site_host_keeps_its_message_through_another_invalid_value_and_a_failed_submit()
    {
        var form = _portal.Bunit.Render<SiteRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice));
        var host = form.Find("input[data-field=host]");

        host.Input("docs_1.example.com");
        host.Blur();
        Assert.Contains("Host " + Underscore, form.Markup, StringComparison.Ordinal);

        form.Find("input[data-field=host]").Input("docs_2.example.com");
        Assert.Contains("Host " + Underscore, form.Markup, StringComparison.Ordinal);
        form.Find("input[data-field=host]").Blur();
        Assert.Contains("Host " + Underscore, form.Markup, StringComparison.Ordinal);

        await form.Find("button[data-submit]").ClickAsync(new());

        Assert.Contains("Some fields need attention", form.Markup, StringComparison.Ordinal);
        Assert.Contains("Host " + Underscore, form.Markup, StringComparison.Ordinal);
        Assert.Contains("Hosted zone id is required.", form.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_goes_when_the_value_becomes_valid_and_a_new_one_comes_with_the_next_problem()
    {
        var form = _portal.Bunit.Render<SiteRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice));
        form.Find("input[data-field=host]").Input("docs_1.example.com");
        form.Find("input[data-field=host]").Blur();

        form.Find("input[data-field=host]").Input("docs.example.com");
        Assert.DoesNotContain(Underscore, form.Markup, StringComparison.Ordinal);

        form.Find("input[data-field=host]").Input("Docs.example.com");
        Assert.Contains("Host must be lower case: use 'docs.example.com'.", form.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_mail_domain_keeps_its_message_through_another_invalid_value_and_a_failed_submit()
    {
        var form = _portal.Bunit.Render<MtaStsRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice));

        form.Find("input[data-field=domain]").Input("mail_1.example.com");
        form.Find("input[data-field=domain]").Blur();
        form.Find("input[data-field=domain]").Input("mail_2.example.com");
        form.Find("input[data-field=domain]").Blur();
        Assert.Contains("Mail domain " + Underscore, form.Markup, StringComparison.Ordinal);

        await form.Find("button[data-submit]").ClickAsync(new());

        Assert.Contains("Mail domain " + Underscore, form.Markup, StringComparison.Ordinal);
        Assert.Empty((await _portal.Queries.ListAsync(new RequestListQuery())).Items);
    }
}
