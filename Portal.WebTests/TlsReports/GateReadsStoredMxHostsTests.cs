using Portal.Core.Health;
using Portal.Infrastructure.TlsReports;
using Portal.Tests.Components.Health;

namespace Portal.Tests.TlsReports;

/// <summary>The enforce gate's MX evidence is what the health engine stored for the mail domain's newest check.</summary>
public sealed class GateReadsStoredMxHostsTests : IAsyncLifetime
{
    private HealthPortal _health = default!;

    public async Task InitializeAsync() => _health = await HealthPortal.CreateAsync();

    public async Task DisposeAsync() => await _health.DisposeAsync();

    [Fact]
    public async Task The_newest_mail_check_s_mx_hosts_are_the_gate_s_evidence()
    {
        var id = await _health.WatchAsync("mail.example.com", HealthCheckKind.Mail);
        var expires = new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var report = new HealthReport("mail.example.com", HealthCheckKind.Mail, _health.Now, TimeSpan.FromSeconds(1), [])
        {
            MxHosts =
            [
                new MxTransportResult("mx1.mail.example.com", true, true, "TLSv1.3", true, expires, true),
                new MxTransportResult("mx2.mail.example.com", true, true, "TLSv1.2", false, expires, true),
            ],
        };
        await using (var db = await _health.Portal.Db.CreateDbContextAsync())
        {
            db.HealthResults.Add(HealthResult.From(id, report));
            await db.SaveChangesAsync();
        }

        var evidence = await new HealthMxTransportResults(_health.Portal.Db).ForDomainAsync("mail.example.com");

        Assert.Null(evidence.NotChecked);
        Assert.Equal([("mx1.mail.example.com", true), ("mx2.mail.example.com", false)], evidence.Hosts.Select(h => (h.Host, h.Passed)));
    }
}
