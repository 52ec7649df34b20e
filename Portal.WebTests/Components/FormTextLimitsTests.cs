using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Requests;
using Portal.Core.Headers;
using Portal.Core.Requests;
using Portal.Core.Text;
using Portal.Core.Workflow;
using Portal.Infrastructure.Dns;
using Portal.Infrastructure.Requests;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>
/// The forms show the same free-text limits Portal.Core enforces: every text field has its limit as maxlength (with
/// a counter on the long ones), and a reason over the limit that reaches the server anyway is refused with the rule's
/// message, storing nothing.
/// </summary>
public sealed class FormTextLimitsTests : IAsyncLifetime
{
    private PortalComponentContext _portal = default!;

    private BunitContext _ctx => _portal.Bunit;

    private RequestService _service => _portal.Requests;

    // The MTA-STS form asks for an MX lookup service; nothing here looks anything up.
    public async Task InitializeAsync() => _portal = await PortalComponentContext.CreateAsync(services =>
        services.AddSingleton(new MxLookup(MxLookup.CreateClient(new DnsOptions { Servers = ["127.0.0.1:9"], Timeout = TimeSpan.FromMilliseconds(200) }))));

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public void Every_site_form_text_field_carries_its_core_limit()
    {
        var form = _ctx.Render<SiteRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice));

        AssertLimit(form, "host", HostNameRules.MaxNameLength);
        AssertLimit(form, "hostedZoneName", HostNameRules.MaxNameLength);
        AssertLimit(form, "hostedZoneId", SpecValidator.MaxHostedZoneIdLength);
        AssertLimit(form, "redirectFrom", SpecValidator.MaxListFieldLength(SpecValidator.MaxRedirectNames, HostNameRules.MaxNameLength));
        AssertLimit(form, "csp", ContentSecurityPolicy.MaxLength);
        AssertLimit(form, "permissionsPolicy", SpecValidator.MaxHeaderValueLength);
        AssertAllTextFieldsLimited(form);
    }

    [Fact]
    public void Every_mta_sts_form_text_field_carries_its_core_limit()
    {
        var form = _ctx.Render<MtaStsRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice));

        AssertLimit(form, "domain", HostNameRules.MaxNameLength);
        AssertLimit(form, "mx", SpecValidator.MaxListFieldLength(SpecValidator.MaxMxPatterns, HostNameRules.MaxNameLength));
        AssertLimit(form, "tlsRptRua", SpecValidator.MaxListFieldLength(SpecValidator.MaxRuaUris, SpecValidator.MaxRuaLength));
        AssertAllTextFieldsLimited(form);
    }

    [Fact]
    public async Task The_reason_field_has_the_reason_limit_and_an_overlong_reason_is_refused()
    {
        var id = (await _service.CreateAsync(TestSpecs.Site(), TestActors.Alice, submit: true)).RequestId;
        await _service.ApplyAsync(id, WorkflowAction.StartTestingDeployment, Actor.System);
        await _service.ApplyAsync(id, WorkflowAction.CompleteTestingDeployment, Actor.System);
        await _service.ApplyAsync(id, WorkflowAction.RequestApproval, TestActors.Alice);
        var request = (await _service.GetAsync(id))!;
        var dialogs = _ctx.Render<MudBlazor.MudDialogProvider>();
        var panel = _ctx.Render<RequestActionsPanel>(p => p
            .Add(x => x.Request, request)
            .Add(x => x.Actor, TestActors.Bob)
            .Add(x => x.Changed, _ => { }));
        await panel.Find("button[data-action=Reject]").ClickAsync(new());
        var reason = dialogs.WaitForElement("textarea[data-reason-for=Reject]");
        Assert.Equal(FreeText.MaxReasonLength.ToString(System.Globalization.CultureInfo.InvariantCulture), reason.GetAttribute("maxlength"));

        // A browser keeps to maxlength; a tampered page does not, and the dialog names the rule of Portal.Core.
        reason.Input(new string('x', FreeText.MaxReasonLength + 1));

        Assert.Contains($"at most {FreeText.MaxReasonLength}", dialogs.Markup, StringComparison.Ordinal);
        Assert.True(dialogs.Find("button[data-confirm=Reject]").HasAttribute("disabled"));
        var stored = (await _service.GetAsync(id))!;
        Assert.Equal(RequestState.AwaitingApproval, stored.State);
        Assert.DoesNotContain(stored.AuditEvents, e => e.Action == "Reject");
    }

    private static void AssertLimit<T>(IRenderedComponent<T> form, string field, int limit)
        where T : Microsoft.AspNetCore.Components.IComponent
    {
        var element = form.Find($"input[data-field='{field}'], textarea[data-field='{field}']");
        Assert.Equal(limit.ToString(System.Globalization.CultureInfo.InvariantCulture), element.GetAttribute("maxlength"));
    }

    private static void AssertAllTextFieldsLimited<T>(IRenderedComponent<T> form)
        where T : Microsoft.AspNetCore.Components.IComponent
    {
        // max_age is a number field with its own range, not free text.
        foreach (var element in form.FindAll("input[data-field]:not([type=checkbox]):not([type=radio]):not([type=hidden]):not([data-field=maxAge]), textarea[data-field]"))
        {
            var limit = element.GetAttribute("maxlength");
            Assert.True(int.TryParse(limit, out var n) && n < 100_000, $"field {element.GetAttribute("data-field")} has maxlength '{limit}'");
        }
    }
}
