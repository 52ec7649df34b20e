using Portal.Core.Deployments;

namespace Portal.Tests.Deployments;

/// <summary>Drifted resources read as words and values, not raw JSON; rows stored in the older one-line form still read.</summary>
public sealed class DriftPresentationTests
{
    [Theory]
    [InlineData("/PolicyDocument/Statement/0/Action", "PolicyDocument › Statement › #1 › Action")]
    [InlineData("/DistributionConfig/DefaultRootObject", "DistributionConfig › DefaultRootObject")]
    [InlineData("/Tags/a~1b", "Tags › a/b")]
    [InlineData("/", "(whole resource)")]
    public void A_property_path_reads_as_words_with_lists_counted_from_one(string path, string shown) =>
        Assert.Equal(shown, StackDrift.ShowPath(path));

    [Theory]
    [InlineData("\"s3:GetObject\"", "s3:GetObject")]
    [InlineData("300", "300")]
    [InlineData("{\"Service\": \"cloudfront.amazonaws.com\"}", "{\"Service\":\"cloudfront.amazonaws.com\"}")]
    [InlineData(null, "(not set)")]
    [InlineData("null", "(not set)")]
    public void A_value_reads_without_json_quotes(string? json, string shown) =>
        Assert.Equal(shown, StackDrift.ShowValue(json));

    [Fact]
    public void Resources_stored_as_logical_id_and_status_read_without_differences()
    {
        var resource = Assert.Single(StackDrift.ParseResources("[\"Distribution: MODIFIED\"]"));

        Assert.Equal(new DriftedResource("Distribution", null, null, "MODIFIED", []), resource with { Differences = [] });
        Assert.Empty(resource.Differences);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{}")]
    public void Unreadable_stored_resources_read_as_none(string json) => Assert.Empty(StackDrift.ParseResources(json));

    [Fact]
    public void Resources_round_trip_through_their_stored_form()
    {
        DriftedResource[] resources = [new("Distribution", "AWS::CloudFront::Distribution", "E123", "MODIFIED", [new PropertyDrift("/DistributionConfig/Comment", "\"a\"", "\"b\"", "NOT_EQUAL")])];

        var read = StackDrift.ParseResources(StackDrift.SerializeResources(resources));

        Assert.Equal(resources[0].Differences, Assert.Single(read).Differences);
        Assert.Equal(("Distribution", "AWS::CloudFront::Distribution", "E123", "MODIFIED"), (read[0].LogicalId, read[0].ResourceType, read[0].PhysicalId, read[0].Status));
    }
}
