using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Requests;
using Portal.Core.Accounts;
using Portal.Core.Templates;
using Portal.Infrastructure.Accounts;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Accounts;

/// <summary>The request forms offer an account picker only when an account besides the default one is registered.</summary>
public sealed class AccountPickerTests : IAsyncLifetime
{
    private PortalComponentContext _portal = default!;
    private TargetAccountDirectory _accounts = default!;

    public async Task InitializeAsync()
    {
        _portal = await PortalComponentContext.CreateAsync();
        _accounts = new TargetAccountDirectory(_portal.Db);
        _portal.Bunit.Services.AddSingleton(_accounts);
    }

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public void With_only_the_default_account_no_picker_is_shown()
    {
        var form = _portal.Bunit.Render<SiteRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice));

        Assert.Empty(form.FindAll("[data-field=account]"));
    }

    [Fact]
    public async Task With_a_registered_account_both_forms_offer_the_picker()
    {
        var service = new TargetAccountService(_portal.Db, _accounts, PortalStackSettings.Example, _portal.Clock);
        var added = await service.AddAsync(new TargetAccountInput("marketing", "210987654321", "eu-central-1", "arn:aws:iam::210987654321:role/portal-marketing-portal", "external-id-1"), "Dana Admin");
        Assert.True(added.Succeeded);

        var site = _portal.Bunit.Render<SiteRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice).Add(x => x.Initial, TestSpecs.Site() with { Account = "marketing" }));

        Assert.Single(site.FindAll("[data-field=account]"));
        Assert.Contains("marketing", site.Find("[data-field=account]").ParentElement!.ParentElement!.TextContent, StringComparison.Ordinal);
    }
}
