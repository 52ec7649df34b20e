using DnsClient;
using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Infrastructure.Deployments;
using Portal.Infrastructure.Health;
using Portal.LocalCloud.Dns;

namespace Portal.Tests.Deployments;

/// <summary>
/// An MTA-STS policy whose DNS is not in the portal's Route53 on the local cloud: the stack waits for the certificate
/// and says so in its event, the portal lists the validation record from it, the person publishes it at "their
/// provider" (a zone the stack does not write), the stack completes, and every record is then confirmed by DNS.
/// </summary>
public sealed class ExternalDnsOnLocalCloudTests : IAsyncLifetime
{
    private const string Domain = "mail-elsewhere.example";
    private EngineHarness _h = null!;
    private LocalDnsServer _dns = null!;
    private ExternalDnsService _service = null!;

    public async Task InitializeAsync()
    {
        _h = await EngineHarness.StartAsync();
        _dns = LocalDnsServer.Start(new DnsOptions(), _h.Aws.Route53);
        var lookup = new LookupClient(new LookupClientOptions(new NameServer(_dns.EndPoint)) { UseCache = false, ThrowDnsErrors = false, Retries = 0, Timeout = TimeSpan.FromSeconds(5) });
        _service = new ExternalDnsService(_h.Db, new DnsQueries(lookup));
    }

    public async Task DisposeAsync()
    {
        await _dns.DisposeAsync();
        await _h.DisposeAsync();
    }

    [Fact]
    public async Task The_validation_record_comes_from_the_waiting_stack_and_each_published_record_is_confirmed()
    {
        // The mail domain's DNS provider: a zone the request does not name, so the stack writes nothing into it.
        var provider = _h.Aws.Route53.AddZone(Domain);
        var spec = new MtaStsSpec { Domain = Domain, Mode = MtaStsMode.Enforce, MaxAge = 604800, Mx = ["mx." + Domain], TlsRptRua = ["mailto:tls@" + Domain] };
        var id = await _h.SubmitAsync(spec);

        ExternalRecordsView? view = null;
        await _h.RunUntilAsync(async () =>
        {
            view = await _service.PlanAsync(await _h.RequestAsync(id));
            return view?.Plan.Records[0].Value is not null;
        });
        var validation = view!.Plan.Records[0];
        Assert.Equal(ExternalRecordPurpose.CertificateValidation, validation.Purpose);
        Assert.EndsWith(".mta-sts." + Domain, validation.Name, StringComparison.Ordinal);
        Assert.EndsWith(".acm-validations.aws", validation.Value, StringComparison.Ordinal);
        Assert.StartsWith("The stack is waiting for ACM to issue the certificate of mta-sts." + Domain, view.Plan.Waiting, StringComparison.Ordinal);
        Assert.Equal(RecordVisibility.Missing, (await _service.CheckAsync(validation)).Visibility);
        Assert.Equal(RequestState.TestingDeploying, (await _h.RequestAsync(id)).State);
        Assert.DoesNotContain(_h.Aws.Route53.FindZone(provider)!.Records, r => r.Type is "CNAME" or "TXT");

        _h.Aws.Route53.AddRecord(provider, validation.Name, "CNAME", validation.Value);
        Assert.Equal(RecordVisibility.Visible, (await _service.CheckAsync(validation)).Visibility);
        await _h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);
        Assert.Equal(RequestState.TestingReady, (await _h.RequestAsync(id)).State);

        view = await _service.PlanAsync(await _h.RequestAsync(id));
        var records = view!.Plan.Records;
        Assert.All(records, r => Assert.NotNull(r.Value));
        Assert.EndsWith(".cloudfront.net", records[1].Value, StringComparison.Ordinal);
        _h.Aws.Route53.AddRecord(provider, records[1].Name, "CNAME", records[1].Value);
        _h.Aws.Route53.AddRecord(provider, records[2].Name, "TXT", $"\"{records[2].Value}\"");
        _h.Aws.Route53.AddRecord(provider, records[3].Name, "TXT", $"\"{records[3].Value}\"");

        var checks = await Task.WhenAll(records.Select(r => _service.CheckAsync(r)));
        Assert.All(checks, c => Assert.Equal(RecordVisibility.Visible, c.Visibility));
        Assert.Empty(_h.Aws.Violations);
    }
}
