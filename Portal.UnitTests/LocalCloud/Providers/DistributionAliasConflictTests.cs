namespace Portal.Tests.LocalCloud.Providers;

/// <summary>An alternate domain name belongs to one distribution at a time (CNAMEAlreadyExists).</summary>
public sealed class DistributionAliasConflictTests
{
    private readonly ProviderWorld _world = new();

    [Fact]
    public void An_alias_another_distribution_uses_is_refused()
    {
        var certificate = _world.IssuedCertificate("docs.example.com");
        _world.Create("AWS::CloudFront::Distribution", "First", Json.Distribution(["docs.example.com"], certificate.PhysicalId)).AssertCreated();

        var failure = _world.Create("AWS::CloudFront::Distribution", "Second", Json.Distribution(["docs.example.com"], certificate.PhysicalId))
            .AssertRefused("CNAMEAlreadyExists");

        Assert.StartsWith("One or more of the CNAMEs you provided are already associated with a different resource.", failure, StringComparison.Ordinal);
        Assert.Contains("Status Code: 409", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Aliases_differing_only_in_case_conflict()
    {
        var certificate = _world.IssuedCertificate("docs.example.com");
        _world.Create("AWS::CloudFront::Distribution", "First", Json.Distribution(["docs.example.com"], certificate.PhysicalId)).AssertCreated();

        _world.Create("AWS::CloudFront::Distribution", "Second", Json.Distribution(["DOCS.example.com"], certificate.PhysicalId)).AssertRefused("CNAMEAlreadyExists");
    }

    [Fact]
    public void Updating_a_distribution_that_keeps_its_own_alias_is_no_conflict()
    {
        var certificate = _world.IssuedCertificate("docs.example.com");
        var distribution = _world.Made("AWS::CloudFront::Distribution", "First", Json.Distribution(["docs.example.com"], certificate.PhysicalId));

        var updated = _world.Update(distribution, Json.Distribution(["docs.example.com"], certificate.PhysicalId));

        updated.AssertCreated();
        Assert.Equal(distribution.PhysicalId, updated.PhysicalId);
        Assert.Equal(distribution.Attributes["DomainName"], updated.Attributes["DomainName"]);
    }

    [Fact]
    public void An_alias_is_free_again_once_its_distribution_is_deleted()
    {
        var certificate = _world.IssuedCertificate("docs.example.com");
        var first = _world.Made("AWS::CloudFront::Distribution", "First", Json.Distribution(["docs.example.com"], certificate.PhysicalId));
        Assert.Null(_world.Delete(first));

        _world.Create("AWS::CloudFront::Distribution", "Second", Json.Distribution(["docs.example.com"], certificate.PhysicalId)).AssertCreated();
    }
}
