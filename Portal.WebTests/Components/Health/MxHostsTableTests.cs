using Bunit;
using Portal.Components.Pages;
using Portal.Core.Health;

namespace Portal.Tests.Components.Health;

/// <summary>
/// A mail domain's health page lists the transport check of each MX host stored with the latest result: reached or
/// not checked from here, STARTTLS, TLS version, certificate valid for the name, expiry, policy match, DANE TLSA.
/// </summary>
public sealed class MxHostsTableTests : IAsyncLifetime
{
    private HealthPortal _health = default!;

    public async Task InitializeAsync() => _health = await HealthPortal.CreateAsync();

    public async Task DisposeAsync() => await _health.DisposeAsync();

    [Fact]
    public async Task The_mail_domain_page_shows_one_row_per_mx_host()
    {
        var id = await _health.WatchAsync("mail.example.com", HealthCheckKind.Mail);
        var report = new HealthReport("mail.example.com", HealthCheckKind.Mail, _health.Now, TimeSpan.FromSeconds(1),
            [new Finding("mx.certificate-invalid", FindingSeverity.Error, "mx2.mail.example.com presents a certificate that is not valid for its name.")])
        {
            MxHosts =
            [
                new MxTransportResult("mx1.mail.example.com", true, true, "TLSv1.3", true, new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero), true) { DaneTlsa = true },
                new MxTransportResult("mx2.mail.example.com", true, true, "TLSv1.2", false, new DateTimeOffset(2027, 2, 1, 0, 0, 0, TimeSpan.Zero), false) { DaneTlsa = false },
                new MxTransportResult("mx3.mail.example.com", false, null, null, null, null, true),
            ],
        };
        await using (var db = await _health.Portal.Db.CreateDbContextAsync())
        {
            db.HealthResults.Add(HealthResult.From(id, report));
            await db.SaveChangesAsync();
        }

        var page = _health.Portal.Bunit.Render<HealthDetail>(p => p.Add(c => c.Id, id));

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-mx-host]").Count));
        string[] Row(string host) => [.. page.FindAll($"tr[data-mx-host='{host}'] td").Select(td => td.TextContent.Trim())];
        Assert.Equal(["mx1.mail.example.com", "yes", "yes", "TLSv1.3", "yes", "2027-03-01", "yes", "yes"], Row("mx1.mail.example.com"));
        Assert.Equal(["mx2.mail.example.com", "yes", "yes", "TLSv1.2", "no", "2027-02-01", "no", "no"], Row("mx2.mail.example.com"));
        Assert.Equal(["mx3.mail.example.com", "not checked from here", "—", "—", "—", "—", "yes", "—"], Row("mx3.mail.example.com"));
    }
}
