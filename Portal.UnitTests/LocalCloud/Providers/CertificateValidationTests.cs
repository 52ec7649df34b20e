using Portal.LocalCloud.Providers.CertificateManager;

namespace Portal.Tests.LocalCloud.Providers;

/// <summary>
/// ACM certificates with DNS validation: pending with the validation record as CloudFormation's IN_PROGRESS reason,
/// issued once the record exists (CloudFormation writes it for a DomainValidationOption with a hosted zone), or after
/// the configured delay for a domain whose DNS the local cloud does not hold.
/// </summary>
public sealed class CertificateValidationTests
{
    private readonly ProviderWorld _world = new();

    [Fact]
    public void Ref_is_an_acm_arn_of_the_stack_region_and_account()
    {
        var result = _world.Create("AWS::CertificateManager::Certificate", "Certificate", Json.Certificate("docs.example.org", hostedZoneId: null));

        Assert.Matches($"^arn:aws:acm:us-east-1:{ProviderWorld.Account}:certificate/[0-9a-f]{{8}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{12}}$", result.PhysicalId);
    }

    [Fact]
    public void A_new_certificate_waits_showing_the_validation_record_as_acm_words_it()
    {
        var result = _world.Create("AWS::CertificateManager::Certificate", "Certificate", Json.Certificate("docs.example.org", hostedZoneId: null));

        result.AssertCreated();
        Assert.Matches(
            @"^Content of DNS Record is: \{Name: _[0-9a-f]{32}\.docs\.example\.org\.,Type: CNAME,Value: _[0-9a-f]{32}\.acm-validations\.aws\.\}$",
            result.WaitingFor);
    }

    [Fact]
    public void With_a_hosted_zone_in_its_validation_options_the_record_is_written_and_the_next_poll_issues_it()
    {
        var zone = _world.Route53.AddZone("example.com");
        var certificate = _world.Made("AWS::CertificateManager::Certificate", "Certificate", Json.Certificate("docs.example.com", zone));
        Assert.NotNull(_world.Resources.Find(certificate.Type, certificate.PhysicalId));

        var (name, value) = CertificateProvider.ValidationRecord(ProviderWorld.Account, "docs.example.com");
        var record = Assert.Single(_world.Route53.FindZone(zone)!.Records);
        Assert.Equal((name, "CNAME", value), (record.Name, record.Type, Assert.Single(record.Values)));

        var polled = _world.Poll(certificate);
        Assert.True(polled.Succeeded);
        Assert.Null(polled.WaitingFor);
    }

    [Fact]
    public void A_domain_in_a_local_zone_without_the_record_waits_until_someone_adds_it()
    {
        var zone = _world.Route53.AddZone("example.com");
        var certificate = _world.Made("AWS::CertificateManager::Certificate", "Certificate", Json.Certificate("docs.example.com", hostedZoneId: null));
        _world.Clock.Advance(TimeSpan.FromHours(1));
        Assert.NotNull(_world.Poll(certificate).WaitingFor);

        var (name, value) = CertificateProvider.ValidationRecord(ProviderWorld.Account, "docs.example.com");
        Assert.Null(_world.Route53.ChangeRecord(zone, "CREATE", name, "CNAME", 300, [value], null));

        Assert.Null(_world.Poll(certificate).WaitingFor);
    }

    [Fact]
    public void A_domain_outside_the_local_cloud_is_issued_after_the_external_validation_delay()
    {
        var certificate = _world.Made("AWS::CertificateManager::Certificate", "Certificate", Json.Certificate("docs.example.org", hostedZoneId: null));

        _world.Clock.Advance(_world.Quotas.ExternalValidationDelay - TimeSpan.FromSeconds(1));
        Assert.NotNull(_world.Poll(certificate).WaitingFor);

        _world.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(_world.Poll(certificate).WaitingFor);
    }

    [Fact]
    public void A_wildcard_is_validated_through_the_record_of_its_base_domain()
    {
        Assert.Equal(
            CertificateProvider.ValidationRecord(ProviderWorld.Account, "example.com"),
            CertificateProvider.ValidationRecord(ProviderWorld.Account, "*.example.com"));
        Assert.NotEqual(
            CertificateProvider.ValidationRecord(ProviderWorld.Account, "example.com"),
            CertificateProvider.ValidationRecord("210987654321", "example.com"));
    }

    [Fact]
    public void A_certificate_requested_before_the_providers_existed_is_issued_when_polled()
    {
        var before = _world.Made("AWS::CertificateManager::Certificate", "Certificate", Json.Certificate("docs.example.org", hostedZoneId: null));
        var restarted = new ProviderWorld();
        restarted.Resources.Put(before);

        Assert.Null(restarted.Poll(before).WaitingFor);
        restarted.Create("AWS::CloudFront::Distribution", "Site", Json.Distribution(["docs.example.org"], before.PhysicalId)).AssertCreated();
    }

    [Fact]
    public void A_certificate_a_distribution_uses_cannot_be_deleted()
    {
        var certificate = _world.IssuedCertificate("docs.example.com");
        var distribution = _world.Made("AWS::CloudFront::Distribution", "Site", Json.Distribution(["docs.example.com"], certificate.PhysicalId));

        var failure = _world.Delete(certificate);

        Assert.NotNull(failure);
        Assert.Equal($"Certificate {certificate.PhysicalId} in account {ProviderWorld.Account} is in use.", failure[..failure.IndexOf(" (Service:", StringComparison.Ordinal)]);
        Assert.Contains("Error Code: ResourceInUseException;", failure, StringComparison.Ordinal);
        Assert.Null(_world.Delete(distribution));
        Assert.Null(_world.Delete(certificate));
    }
}
