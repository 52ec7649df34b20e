using System.Text.Json.Nodes;

namespace Portal.Tests.LocalCloud.Providers;

/// <summary>
/// Route53 record sets made by a stack: written into the hosted zone with Route53's change-batch validation, in
/// Route53's words.
/// </summary>
public sealed class RecordSetRulesTests
{
    private readonly ProviderWorld _world = new();
    private readonly string _zone;

    public RecordSetRulesTests() => _zone = _world.Route53.AddZone("example.com");

    [Fact]
    public void A_record_is_written_into_its_zone_and_Ref_is_its_name()
    {
        var result = _world.Create("AWS::Route53::RecordSet", "Www", Json.Record(_zone, "www.example.com", "A", 300, "192.0.2.10", "192.0.2.11"));

        result.AssertCreated();
        Assert.Equal("www.example.com", result.PhysicalId);
        var record = Assert.Single(_world.Route53.FindZone(_zone)!.Records);
        Assert.Equal(("www.example.com.", "A", (long?)300), (record.Name, record.Type, record.Ttl));
        Assert.Equal(["192.0.2.10", "192.0.2.11"], record.Values);
    }

    [Fact]
    public void The_written_record_is_listed_by_ListResourceRecordSets()
    {
        _world.Create("AWS::Route53::RecordSet", "Txt", Json.Record(_zone, "example.com", "TXT", 60, "\"v=spf1 -all\"")).AssertCreated();

        var listed = _world.Route53.Handle("ListResourceRecordSets", new Dictionary<string, object?> { ["HostedZoneId"] = _zone });

        Assert.Null(listed.Error);
        var text = System.Text.Json.JsonSerializer.Serialize(listed.Output);
        Assert.Contains("v=spf1 -all", text, StringComparison.Ordinal);
        Assert.Contains("60", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zone_id_that_does_not_exist_is_NoSuchHostedZone()
    {
        var result = _world.Create("AWS::Route53::RecordSet", "Www", Json.Record("Z0000000NOSUCH", "www.example.com", "A", 300, "192.0.2.10"));

        Assert.Equal("No hosted zone found with ID: Z0000000NOSUCH", result.Failure);
    }

    [Fact]
    public void The_zone_can_be_named_instead_of_identified()
    {
        var byName = new JsonObject { ["HostedZoneName"] = "example.com.", ["Name"] = "www.example.com.", ["Type"] = "A", ["TTL"] = "300", ["ResourceRecords"] = new JsonArray("192.0.2.10") };
        _world.Create("AWS::Route53::RecordSet", "Www", byName).AssertCreated();

        byName["HostedZoneName"] = "example.org.";
        Assert.Equal("No hosted zones named example.org. found", _world.Create("AWS::Route53::RecordSet", "Other", byName).Failure);
    }

    [Fact]
    public void A_name_outside_the_zone_is_not_permitted()
    {
        var result = _world.Create("AWS::Route53::RecordSet", "Www", Json.Record(_zone, "www.example.org", "A", 300, "192.0.2.10"));

        Assert.Equal("[RRSet with DNS name www.example.org. is not permitted in zone example.com.]", result.Failure);
    }

    [Fact]
    public void Creating_a_name_and_type_that_already_exist_is_refused()
    {
        _world.Route53.AddRecord(_zone, "www.example.com", "A", "192.0.2.1");

        var result = _world.Create("AWS::Route53::RecordSet", "Www", Json.Record(_zone, "www.example.com", "A", 300, "192.0.2.10"));

        Assert.Equal("[Tried to create resource record set [name='www.example.com.', type='A'] but it already exists]", result.Failure);
    }

    [Fact]
    public void A_CNAME_cannot_join_other_types_and_others_cannot_join_a_CNAME()
    {
        _world.Create("AWS::Route53::RecordSet", "A", Json.Record(_zone, "www.example.com", "A", 300, "192.0.2.10")).AssertCreated();
        _world.Create("AWS::Route53::RecordSet", "Cname", Json.Record(_zone, "docs.example.com", "CNAME", 300, "www.example.com")).AssertCreated();

        Assert.Equal(
            "[RRSet of type CNAME with DNS name www.example.com. is not permitted because a conflicting RRSet of type A with the same DNS name already exists in zone example.com.]",
            _world.Create("AWS::Route53::RecordSet", "Cname2", Json.Record(_zone, "www.example.com", "CNAME", 300, "other.example.com")).Failure);
        Assert.Equal(
            "[RRSet of type TXT with DNS name docs.example.com. is not permitted because a conflicting RRSet of type CNAME with the same DNS name already exists in zone example.com.]",
            _world.Create("AWS::Route53::RecordSet", "Txt", Json.Record(_zone, "docs.example.com", "TXT", 300, "\"x\"")).Failure);
    }

    [Fact]
    public void A_CNAME_at_the_zone_apex_is_not_permitted()
    {
        var result = _world.Create("AWS::Route53::RecordSet", "Apex", Json.Record(_zone, "example.com", "CNAME", 300, "www.example.org"));

        Assert.Equal("[RRSet of type CNAME with DNS name example.com. is not permitted at apex in zone example.com.]", result.Failure);
    }

    [Theory]
    [InlineData("v=spf1 -all", "InvalidCharacterString")]
    [InlineData("\"unterminated", "InvalidCharacterString")]
    public void TXT_values_must_be_quoted(string value, string problem)
    {
        var result = _world.Create("AWS::Route53::RecordSet", "Txt", Json.Record(_zone, "example.com", "TXT", 300, value));

        Assert.StartsWith($"[Invalid Resource Record: 'FATAL problem: {problem}", result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_TXT_string_is_at_most_255_characters_but_a_value_may_hold_several()
    {
        var fits = "\"" + new string('a', 255) + "\"";
        var tooLong = "\"" + new string('a', 256) + "\"";

        _world.Create("AWS::Route53::RecordSet", "Dkim", Json.Record(_zone, "key._domainkey.example.com", "TXT", 300, fits + " " + fits)).AssertCreated();
        var result = _world.Create("AWS::Route53::RecordSet", "Long", Json.Record(_zone, "long.example.com", "TXT", 300, tooLong));

        Assert.StartsWith("[Invalid Resource Record: 'FATAL problem: TXTRDATATooLong (Value is too long)", result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_without_TTL_or_alias_is_refused()
    {
        var result = _world.Create("AWS::Route53::RecordSet", "Www", Json.Record(_zone, "www.example.com", "A", ttl: null, "192.0.2.10"));

        Assert.Equal("Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords]], but found none of them", result.Failure);
    }

    [Fact]
    public void An_alias_to_a_live_distribution_in_CloudFronts_zone_is_written_without_TTL()
    {
        var distribution = _world.Made("AWS::CloudFront::Distribution", "Site", Json.Distribution());
        var domain = distribution.Attributes["DomainName"];

        _world.Create("AWS::Route53::RecordSet", "Alias", Json.Alias(_zone, "www.example.com", "A", "Z2FDTNDATAQYW2", domain)).AssertCreated();

        var record = Assert.Single(_world.Route53.FindZone(_zone)!.Records);
        Assert.Equal((domain + ".", (long?)null), (record.AliasTarget, record.Ttl));
    }

    [Fact]
    public void An_alias_to_a_distribution_needs_CloudFronts_hosted_zone()
    {
        var distribution = _world.Made("AWS::CloudFront::Distribution", "Site", Json.Distribution());
        var domain = distribution.Attributes["DomainName"];

        var result = _world.Create("AWS::Route53::RecordSet", "Alias", Json.Alias(_zone, "www.example.com", "A", "Z35SXDOTRQ7X7K", domain));

        Assert.Equal($"[Tried to create an alias that targets {domain}., type A in zone Z35SXDOTRQ7X7K, but the alias target name does not lie within the target zone]", result.Failure);
    }

    [Fact]
    public void An_alias_to_a_distribution_that_does_not_exist_is_refused()
    {
        var result = _world.Create("AWS::Route53::RecordSet", "Alias", Json.Alias(_zone, "www.example.com", "AAAA", "Z2FDTNDATAQYW2", "d111111abcdef8.cloudfront.net"));

        Assert.Equal("[Tried to create an alias that targets d111111abcdef8.cloudfront.net., type AAAA in zone Z2FDTNDATAQYW2, but that target was not found]", result.Failure);
    }

    [Fact]
    public void Deleting_the_resource_removes_the_record_from_the_zone()
    {
        var record = _world.Made("AWS::Route53::RecordSet", "Www", Json.Record(_zone, "www.example.com", "A", 300, "192.0.2.10"));

        Assert.Null(_world.Delete(record));

        Assert.Empty(_world.Route53.FindZone(_zone)!.Records);
    }

    [Fact]
    public void An_update_changes_the_values_in_place()
    {
        var record = _world.Made("AWS::Route53::RecordSet", "Www", Json.Record(_zone, "www.example.com", "A", 300, "192.0.2.10"));

        _world.Update(record, Json.Record(_zone, "www.example.com", "A", 60, "192.0.2.20")).AssertCreated();

        var written = Assert.Single(_world.Route53.FindZone(_zone)!.Records);
        Assert.Equal(((long?)60, "192.0.2.20"), (written.Ttl, Assert.Single(written.Values)));
    }
}
