using System.Net;
using Portal.Core.Deployments;
using Portal.Infrastructure.Deployments;
using Portal.Infrastructure.Health;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Deployments;

/// <summary>
/// The request page's check of records published by hand, against dnsmasq standing for the mail domain's DNS provider:
/// CNAMEs read at their own name, TXT records of several strings joined, an old id named as different.
/// </summary>
public sealed class ExternalDnsCheckTests(PrivateNetworkFixture fixture) : IClassFixture<PrivateNetworkFixture>, IAsyncLifetime
{
    private ExternalDnsService _service = null!;

    public async Task InitializeAsync()
    {
        var network = fixture.Network;
        await network.StartDnsAsync(new DnsZone("test", "acm-validations.aws", "cloudfront.net")
            .Cname("_5e0c.mta-sts.mail.test", "_7d1b.acm-validations.aws")
            .Txt("_7d1b.acm-validations.aws", "acm")
            .Cname("mta-sts.mail.test", "d2abcdefgh0123.cloudfront.net")
            .A("d2abcdefgh0123.cloudfront.net", IPAddress.Parse("192.0.2.80"))
            .Txt("_mta-sts.mail.test", "v=STSv1; ", "id=20260301;")
            .Txt("_smtp._tls.mail.test", "v=TLSRPTv1; rua=mailto:old@mail.test"));
        _service = new ExternalDnsService(await TestDatabases.SqliteAsync(), new DnsQueries(network.CreateLookupClient()));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static ExternalRecord Record(ExternalRecordPurpose purpose, string name, string type, string value) => new(purpose, name, type, value, "", null);

    [Fact]
    public async Task Each_record_is_confirmed_or_named_as_it_stands_in_dns()
    {
        var checks = await Task.WhenAll(
            _service.CheckAsync(Record(ExternalRecordPurpose.CertificateValidation, "_5e0c.mta-sts.mail.test", "CNAME", "_7d1b.acm-validations.aws.")),
            _service.CheckAsync(Record(ExternalRecordPurpose.PolicyHost, "mta-sts.mail.test", "CNAME", "d2abcdefgh0123.cloudfront.net")),
            _service.CheckAsync(Record(ExternalRecordPurpose.PolicyId, "_mta-sts.mail.test", "TXT", "v=STSv1; id=20260301")),
            _service.CheckAsync(Record(ExternalRecordPurpose.TlsReporting, "_smtp._tls.mail.test", "TXT", "v=TLSRPTv1; rua=mailto:tls@mail.test")),
            _service.CheckAsync(Record(ExternalRecordPurpose.PolicyId, "_mta-sts.other.test", "TXT", "v=STSv1; id=20260301")));

        Assert.Equal(
            [RecordVisibility.Visible, RecordVisibility.Visible, RecordVisibility.Visible, RecordVisibility.Different, RecordVisibility.Missing],
            checks.Select(c => c.Visibility));
        Assert.Equal("DNS has \"v=TLSRPTv1; rua=mailto:old@mail.test\"; update it to \"v=TLSRPTv1; rua=mailto:tls@mail.test\".", checks[3].Message);
        Assert.Equal("No v=STSv1 TXT record at _mta-sts.other.test yet.", checks[4].Message);
    }

    [Fact]
    public async Task An_old_policy_id_is_named_with_the_value_to_publish()
    {
        var check = await _service.CheckAsync(Record(ExternalRecordPurpose.PolicyId, "_mta-sts.mail.test", "TXT", "v=STSv1; id=20260401"));

        Assert.Equal((RecordVisibility.Different, "DNS has \"v=STSv1; id=20260301;\"; update it to \"v=STSv1; id=20260401\"."), (check.Visibility, check.Message));
    }

    [Fact]
    public async Task A_cname_pointing_elsewhere_is_different()
    {
        var check = await _service.CheckAsync(Record(ExternalRecordPurpose.PolicyHost, "mta-sts.mail.test", "CNAME", "d9zzzzzzzz9999.cloudfront.net"));

        Assert.Equal(RecordVisibility.Different, check.Visibility);
        Assert.Equal("DNS has mta-sts.mail.test CNAME d2abcdefgh0123.cloudfront.net; change it to d9zzzzzzzz9999.cloudfront.net.", check.Message);
    }
}
