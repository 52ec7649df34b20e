using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Accounts;
using Portal.Components.Pages.Admin;
using Portal.Core.Identity;
using Portal.Core.Templates;
using Portal.Identity.BuiltIn;
using Portal.Infrastructure.Accounts;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Accounts;

/// <summary>
/// The admin's Accounts page: an account with mistakes is refused field by field and keeps what was typed; a good one
/// is registered, listed and audited as the signed-in admin.
/// </summary>
public sealed class TargetAccountsPageTests : IAsyncLifetime
{
    private readonly RecordingAudit _audit = new();
    private PortalComponentContext _portal = default!;

    public async Task InitializeAsync()
    {
        _portal = await PortalComponentContext.CreateAsync(services =>
        {
            services.AddSingleton(PortalStackSettings.Example);
            services.AddSingleton<TargetAccountDirectory>();
            services.AddSingleton<TargetAccountService>();
            services.AddSingleton<ITargetAccountAudit>(_audit);
            services.AddScoped<TargetAccountAdministration>();
        });
        _portal.Bunit.Services.AddSingleton(_portal.Db);
        _portal.Bunit.AddAuthorization().SetAuthorized("Dana Admin").SetClaims(
            new Claim(PortalClaimTypes.Subject, "dana"), new Claim(PortalClaimTypes.Name, "Dana Admin"), new Claim(PortalClaimTypes.Role, "Admin"));
    }

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task Mistakes_are_shown_per_field_and_what_was_typed_stays()
    {
        var page = _portal.Bunit.Render<TargetAccountsPage>();

        page.Find("input[data-testid=account-name]").Change("marketing");
        page.Find("input[data-testid=account-id]").Change("21098765432");
        page.Find("input[data-testid=account-role]").Change("arn:aws:iam::123456789012:role/portal-marketing-portal");
        page.Find("input[data-testid=account-external-id]").Change("external-id-1");
        await page.Find("[data-testid=save-account]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("exactly 12 digits", page.Markup, StringComparison.Ordinal));
        Assert.Contains("Nothing was saved", page.Find("[data-testid=account-message]").TextContent, StringComparison.Ordinal);
        Assert.Equal("arn:aws:iam::123456789012:role/portal-marketing-portal", page.Find("input[data-testid=account-role]").GetAttribute("value"));
        Assert.Empty(page.FindAll("tr[data-account=marketing]"));
        Assert.Empty(_audit.Recorded);
    }

    [Fact]
    public async Task A_good_account_is_registered_listed_and_audited_as_the_admin()
    {
        var page = _portal.Bunit.Render<TargetAccountsPage>();

        page.Find("input[data-testid=account-name]").Change("marketing");
        page.Find("input[data-testid=account-id]").Change("210987654321");
        page.Find("input[data-testid=account-role]").Change("arn:aws:iam::210987654321:role/portal-marketing-portal");
        page.Find("input[data-testid=account-external-id]").Change("external-id-1");
        await page.Find("[data-testid=save-account]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr[data-account=marketing]")));
        Assert.Contains("210987654321", page.Find("tr[data-account=marketing]").TextContent, StringComparison.Ordinal);
        Assert.Single(page.FindAll("tr[data-account=default]"));
        var (kind, name, by) = Assert.Single(_audit.Recorded);
        Assert.Equal((SecurityEventKind.TargetAccountAdded, "marketing", "dana"), (kind, name, by));
    }

    private sealed class RecordingAudit : ITargetAccountAudit
    {
        public List<(SecurityEventKind Kind, string Name, string By)> Recorded { get; } = [];

        public Task RecordAsync(SecurityEventKind kind, string name, string accountId, string detail, string adminId)
        {
            Recorded.Add((kind, name, adminId));
            return Task.CompletedTask;
        }
    }
}
