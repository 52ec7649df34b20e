using Bunit;
using DnsClient;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Requests;
using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Infrastructure.Deployments;
using Portal.Infrastructure.Health;
using Portal.LocalCloud.Dns;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>
/// The records of an MTA-STS policy whose DNS is elsewhere, on its request page: each with copy buttons, what the stack waits
/// for, and a check against a real DNS server on loopback standing for the mail domain's DNS provider.
/// </summary>
public sealed class ExternalDnsRecordsPanelTests : IAsyncLifetime
{
    private const string Domain = "mail-elsewhere.example";
    private const string ValidationName = "_5e0c.mta-sts.mail-elsewhere.example.";
    private const string ValidationValue = "_7d1b.acm-validations.aws.";
    private const string Distribution = "d2abcdefgh0123.cloudfront.net";

    private readonly Route53Service _provider = new();
    private PortalComponentContext _portal = default!;
    private LocalDnsServer _dns = default!;

    private static MtaStsSpec Spec => new()
    {
        Domain = Domain,
        Mode = MtaStsMode.Enforce,
        MaxAge = 604800,
        Mx = ["mx." + Domain],
        TlsRptRua = ["mailto:tls@" + Domain],
    };

    public async Task InitializeAsync()
    {
        _dns = LocalDnsServer.Start(new DnsOptions(), _provider);
        var lookup = new LookupClient(new LookupClientOptions(new NameServer(_dns.EndPoint)) { UseCache = false, ThrowDnsErrors = false, Retries = 0, Timeout = TimeSpan.FromSeconds(5) });
        _portal = await PortalComponentContext.CreateAsync();
        _portal.Bunit.Services.AddSingleton(new ExternalDnsService(_portal.Db, new DnsQueries(lookup)));
    }

    public async Task DisposeAsync()
    {
        await _portal.DisposeAsync();
        await _dns.DisposeAsync();
    }

    private async Task<PortalRequest> DeployedAsync(string status, string outputs)
    {
        var created = await _portal.Requests.CreateAsync(Spec, TestActors.Alice, submit: true);
        Assert.True(created.Succeeded, created.Message);
        var now = _portal.Clock.GetUtcNow();
        await using (var db = await _portal.Db.CreateDbContextAsync())
        {
            db.Stacks.Add(new TrackedStack
            {
                Id = Guid.NewGuid(), StackName = "portal-mta-sts-mail--elsewhere-example", Region = "us-east-1", Kind = StackKind.MtaSts,
                RequestId = created.RequestId, Status = status, OutputsJson = outputs, NextCheckAt = now, NextDriftCheckAt = now,
            });
            db.StackEvents.Add(new StoredStackEvent
            {
                EventId = "e1", StackName = "portal-mta-sts-mail--elsewhere-example", Region = "us-east-1", StackId = "s", LogicalResourceId = "Certificate",
                ResourceType = "AWS::CertificateManager::Certificate", ResourceStatus = "CREATE_IN_PROGRESS", Timestamp = now,
                ResourceStatusReason = $"Content of DNS Record is: {{Name: {ValidationName},Type: CNAME,Value: {ValidationValue}}}",
            });
            await db.SaveChangesAsync();
        }

        return (await _portal.Requests.GetAsync(created.RequestId))!;
    }

    [Fact]
    public async Task While_the_certificate_waits_the_page_names_the_validation_record_to_publish_with_copy_buttons()
    {
        var request = await DeployedAsync("CREATE_IN_PROGRESS", "{}");

        var panel = _portal.Bunit.Render<ExternalDnsRecordsPanel>(p => p.Add(c => c.Request, request));

        panel.WaitForAssertion(() => Assert.Contains("publish the validation CNAME _5e0c.mta-sts.mail-elsewhere.example", panel.Find("[data-waiting]").TextContent, StringComparison.Ordinal));
        Assert.Equal(
            ["_5e0c.mta-sts.mail-elsewhere.example", "mta-sts." + Domain, "_mta-sts." + Domain, "_smtp._tls." + Domain],
            panel.FindAll("[data-record-name]").Select(e => e.TextContent.Trim()));
        Assert.Equal("_7d1b.acm-validations.aws", panel.Find("tr[data-record=CertificateValidation] [data-record-value]").TextContent.Trim());
        Assert.Equal("not known yet", panel.Find("tr[data-record=PolicyHost] [data-record-value]").TextContent.Trim());
        Assert.Equal(4, panel.FindAll("button[data-copy-name]").Count);
        Assert.Equal(3, panel.FindAll("button[data-copy-value]").Count);

        await panel.Find("button[data-copy-value=CertificateValidation]").ClickAsync(new());
        Assert.Contains(_portal.Bunit.JSInterop.Invocations, i => i.Identifier == "navigator.clipboard.writeText" && Equals(i.Arguments[0], "_7d1b.acm-validations.aws"));
    }

    [Fact]
    public async Task The_check_confirms_what_dns_answers_and_names_an_old_id_to_update()
    {
        var served = MtaStsPublication.Create(Spec, DeploymentEnvironment.Testing).Publication!.PolicyIdRecord.Value;
        var request = await DeployedAsync("CREATE_COMPLETE", $$"""{"DistributionDomainName":"{{Distribution}}","PolicyIdRecord":"{{served}}"}""");
        var zone = _provider.AddZone(Domain);
        _provider.AddRecord(zone, ValidationName, "CNAME", ValidationValue);
        _provider.AddRecord(zone, "mta-sts." + Domain, "CNAME", Distribution);
        _provider.AddRecord(zone, "_mta-sts." + Domain, "TXT", "\"v=STSv1; id=20240101000000\"");

        var panel = _portal.Bunit.Render<ExternalDnsRecordsPanel>(p => p.Add(c => c.Request, request));
        Assert.Equal(Distribution, panel.Find("tr[data-record=PolicyHost] [data-record-value]").TextContent.Trim());
        await panel.Find("button[data-check-dns]").ClickAsync(new());

        panel.WaitForAssertion(() =>
        {
            Assert.Equal("visible", panel.Find("[data-check=CertificateValidation] .mud-chip").TextContent.Trim());
            Assert.Equal("visible", panel.Find("[data-check=PolicyHost] .mud-chip").TextContent.Trim());
            Assert.Equal("different", panel.Find("[data-check=PolicyId] .mud-chip").TextContent.Trim());
            Assert.Equal("missing", panel.Find("[data-check=TlsReporting] .mud-chip").TextContent.Trim());
        });
        Assert.Equal($"DNS has \"v=STSv1; id=20240101000000\"; update it to \"{served}\".", panel.Find("[data-check=PolicyId] [data-check-message]").TextContent.Trim());
    }
}
