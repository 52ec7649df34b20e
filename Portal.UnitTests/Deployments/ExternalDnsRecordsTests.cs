using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Core.Templates;

namespace Portal.Tests.Deployments;

/// <summary>
/// The records an MTA-STS policy needs at a DNS provider outside Route53: which ones, their values as the stack reports
/// them, what the stack waits for, and how each compares with what DNS answers.
/// </summary>
public sealed class ExternalDnsRecordsTests
{
    private const string ValidationReason = "Content of DNS Record is: {Name: _3f2a.mta-sts.mail.example.,Type: CNAME,Value: _9c1d.acm-validations.aws.}";
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static readonly MtaStsSpec Spec = new()
    {
        Domain = "mail.example",
        Mode = MtaStsMode.Enforce,
        MaxAge = 604800,
        Mx = ["mx.mail.example"],
        TlsRptRua = ["mailto:tls@mail.example"],
    };

    private static StoredStackEvent Certificate(string status, string? reason, int second) => new()
    {
        EventId = Guid.NewGuid().ToString(),
        LogicalResourceId = "Certificate",
        ResourceType = "AWS::CertificateManager::Certificate",
        ResourceStatus = status,
        ResourceStatusReason = reason,
        Timestamp = T0.AddSeconds(second),
    };

    private static TrackedStack Stack(string status, string outputs = "{}") => new() { StackName = "portal-mta-sts-mail-example", Status = status, OutputsJson = outputs };

    private static string PolicyIdOf(MtaStsSpec spec, DeploymentEnvironment environment) =>
        MtaStsPublication.Create(spec, environment).Publication!.PolicyIdRecord.Value;

    [Fact]
    public void While_the_certificate_waits_the_validation_record_is_listed_and_named_as_what_the_stack_waits_for()
    {
        var plan = ExternalDnsRecords.Plan(Spec, DeploymentEnvironment.Testing, Stack("CREATE_IN_PROGRESS"),
            [Certificate("CREATE_IN_PROGRESS", null, 0), Certificate("CREATE_IN_PROGRESS", ValidationReason, 1)]);

        Assert.Equal(
            [
                (ExternalRecordPurpose.CertificateValidation, "_3f2a.mta-sts.mail.example", "CNAME", (string?)"_9c1d.acm-validations.aws"),
                (ExternalRecordPurpose.PolicyHost, "mta-sts.mail.example", "CNAME", null),
                (ExternalRecordPurpose.PolicyId, "_mta-sts.mail.example", "TXT", PolicyIdOf(Spec, DeploymentEnvironment.Testing)),
                (ExternalRecordPurpose.TlsReporting, "_smtp._tls.mail.example", "TXT", "v=TLSRPTv1; rua=mailto:tls@mail.example"),
            ],
            plan.Records.Select(r => (r.Purpose, r.Name, r.Type, r.Value)));
        Assert.Equal(
            "The stack is waiting for ACM to issue the certificate of mta-sts.mail.example: publish the validation CNAME _3f2a.mta-sts.mail.example. " +
            "ACM looks for it by itself and CloudFormation continues once the certificate is issued.", plan.Waiting);
        Assert.NotNull(plan.Records[1].When);
        Assert.Contains("RFC 8461 section 8.1", plan.Records[2].When, StringComparison.Ordinal);
    }

    [Fact]
    public void Once_the_stack_is_complete_the_host_points_at_the_distribution_and_the_id_is_the_served_one()
    {
        var served = PolicyIdOf(Spec, DeploymentEnvironment.Testing);
        var stack = Stack("CREATE_COMPLETE", $$"""{"DistributionDomainName":"d111abcdef8.cloudfront.net","PolicyIdRecord":"{{served}}"}""");

        var plan = ExternalDnsRecords.Plan(Spec, DeploymentEnvironment.Testing, stack,
            [Certificate("CREATE_IN_PROGRESS", ValidationReason, 1), Certificate("CREATE_COMPLETE", null, 90)]);

        Assert.Equal("d111abcdef8.cloudfront.net", plan.Records.Single(r => r.Purpose == ExternalRecordPurpose.PolicyHost).Value);
        Assert.Equal("_9c1d.acm-validations.aws", plan.Records.Single(r => r.Purpose == ExternalRecordPurpose.CertificateValidation).Value);
        var id = plan.Records.Single(r => r.Purpose == ExternalRecordPurpose.PolicyId);
        Assert.Equal((served, (string?)null), (id.Value, id.When));
        Assert.StartsWith("The stack is complete (CREATE_COMPLETE).", plan.Waiting, StringComparison.Ordinal);
    }

    [Fact]
    public void While_a_new_policy_deploys_the_txt_record_keeps_the_served_id_and_says_when_to_change_it()
    {
        var served = PolicyIdOf(Spec, DeploymentEnvironment.Testing);
        var stack = Stack("UPDATE_IN_PROGRESS", $$"""{"DistributionDomainName":"d111abcdef8.cloudfront.net","PolicyIdRecord":"{{served}}"}""");

        var plan = ExternalDnsRecords.Plan(Spec, DeploymentEnvironment.Production, stack, [Certificate("CREATE_COMPLETE", null, 90)]);

        var id = plan.Records.Single(r => r.Purpose == ExternalRecordPurpose.PolicyId);
        Assert.Equal(PolicyIdOf(Spec, DeploymentEnvironment.Production), id.Value);
        Assert.Contains("only once https://mta-sts.mail.example/.well-known/mta-sts.txt serves the new policy", id.When, StringComparison.Ordinal);
    }

    [Fact]
    public void A_policy_change_names_the_txt_record_to_update_and_leaves_the_cnames_alone()
    {
        var previous = Spec with { Mode = MtaStsMode.Testing };

        var plan = ExternalDnsRecords.Plan(Spec, DeploymentEnvironment.Production, null, [], previous);

        var change = Assert.Single(plan.Changes);
        Assert.Equal(
            $"The policy changes: once the stack is complete, update the TXT record _mta-sts.mail.example from \"{PolicyIdOf(previous, DeploymentEnvironment.Production)}\" " +
            $"to \"{PolicyIdOf(Spec, DeploymentEnvironment.Production)}\". The CNAME records stay as they are.", change);
        Assert.Empty(ExternalDnsRecords.Plan(Spec, DeploymentEnvironment.Production, null, [], Spec).Changes);
    }

    [Fact]
    public void A_tls_reporting_change_names_its_record()
    {
        var plan = ExternalDnsRecords.Plan(Spec with { TlsRptRua = [] }, DeploymentEnvironment.Production, null, [], Spec);

        Assert.Equal(["TLS reporting ends: remove the TXT record _smtp._tls.mail.example."], plan.Changes);
        Assert.DoesNotContain(plan.Records, r => r.Purpose == ExternalRecordPurpose.TlsReporting);
    }

    [Theory]
    [InlineData("CREATE_IN_PROGRESS", "The stack is CREATE_IN_PROGRESS: the distribution's domain appears here when it is complete.")]
    [InlineData("ROLLBACK_COMPLETE", "The stack is ROLLBACK_COMPLETE: see the deployment above for the reason.")]
    [InlineData(null, "The stack has not been created yet; the records appear here as CloudFormation reports them.")]
    public void What_the_stack_waits_for_follows_its_status(string? status, string expected) =>
        Assert.Equal(expected, ExternalDnsRecords.Plan(Spec, DeploymentEnvironment.Testing, status is null ? null : Stack(status), []).Waiting);

    [Theory]
    [InlineData("Content of DNS Record is: {Name: _a.mta-sts.x.example.,Type: CNAME,Value: _b.acm-validations.aws.}", "_a.mta-sts.x.example", "_b.acm-validations.aws")]
    [InlineData("Content of DNS Record is: {Name: _A.MTA-STS.X.EXAMPLE,Type: CNAME,Value: _B.acm-validations.aws}", "_a.mta-sts.x.example", "_b.acm-validations.aws")]
    public void The_validation_record_is_read_from_cloudformations_status_reason(string reason, string name, string value) =>
        Assert.Equal((name, value), ExternalDnsRecords.ValidationRecord(reason));

    [Theory]
    [InlineData(null)]
    [InlineData("Resource creation Initiated")]
    [InlineData("Content of DNS Record is: {Name: _a.x.example.,Type: TXT,Value: b}")]
    public void Other_reasons_hold_no_validation_record(string? reason) => Assert.Null(ExternalDnsRecords.ValidationRecord(reason));

    private static ExternalRecord Record(ExternalRecordPurpose purpose, string? value) =>
        new(purpose, "name.mail.example", purpose is ExternalRecordPurpose.PolicyId or ExternalRecordPurpose.TlsReporting ? "TXT" : "CNAME", value, "", null);

    public static TheoryData<ExternalRecordPurpose, string?, DnsObservation, RecordVisibility> Comparisons() => new()
    {
        { ExternalRecordPurpose.PolicyHost, "d1.cloudfront.net", DnsObservation.Found("D1.cloudfront.net."), RecordVisibility.Visible },
        { ExternalRecordPurpose.PolicyHost, "d1.cloudfront.net", DnsObservation.Found("d2.cloudfront.net"), RecordVisibility.Different },
        { ExternalRecordPurpose.PolicyHost, "d1.cloudfront.net", DnsObservation.Nothing, RecordVisibility.Missing },
        { ExternalRecordPurpose.PolicyHost, null, DnsObservation.Found("d1.cloudfront.net"), RecordVisibility.NotKnownYet },
        { ExternalRecordPurpose.CertificateValidation, "_b.acm-validations.aws", DnsObservation.Found("_b.acm-validations.aws."), RecordVisibility.Visible },
        { ExternalRecordPurpose.CertificateValidation, "_b.acm-validations.aws", DnsObservation.Failed("timeout"), RecordVisibility.NoAnswer },
        { ExternalRecordPurpose.PolicyId, "v=STSv1; id=abc", DnsObservation.Found("v=STSv1;id=abc", "google-site-verification=x"), RecordVisibility.Visible },
        { ExternalRecordPurpose.PolicyId, "v=STSv1; id=abc", DnsObservation.Found("v=STSv1; id=old"), RecordVisibility.Different },
        { ExternalRecordPurpose.PolicyId, "v=STSv1; id=abc", DnsObservation.Found("v=STSv1; id=abc", "v=STSv1; id=old"), RecordVisibility.Different },
        { ExternalRecordPurpose.PolicyId, "v=STSv1; id=abc", DnsObservation.Found("v=spf1 -all"), RecordVisibility.Missing },
        { ExternalRecordPurpose.TlsReporting, "v=TLSRPTv1; rua=mailto:a@x.example", DnsObservation.Found("v=TLSRPTv1;rua=mailto:a@x.example"), RecordVisibility.Visible },
        { ExternalRecordPurpose.TlsReporting, "v=TLSRPTv1; rua=mailto:a@x.example", DnsObservation.Found("v=TLSRPTv1; rua=mailto:b@x.example"), RecordVisibility.Different },
    };

    [Theory]
    [MemberData(nameof(Comparisons))]
    public void Each_record_is_compared_with_what_dns_answers(ExternalRecordPurpose purpose, string? expected, DnsObservation observed, RecordVisibility visibility) =>
        Assert.Equal(visibility, ExternalDnsRecords.Check(Record(purpose, expected), observed).Visibility);

    [Fact]
    public void An_old_id_in_dns_is_named_with_the_value_to_publish()
    {
        var check = ExternalDnsRecords.Check(Record(ExternalRecordPurpose.PolicyId, "v=STSv1; id=new1"), DnsObservation.Found("v=STSv1; id=old1"));

        Assert.Equal("DNS has \"v=STSv1; id=old1\"; update it to \"v=STSv1; id=new1\".", check.Message);
    }
}
