using System.Text.Json.Nodes;

namespace Portal.Tests.LocalCloud.CloudFormation;

/// <summary>Only what the template sets is compared: a changed value is NOT_EQUAL, a gone one REMOVE, an item added to a list ADD.</summary>
public sealed class DriftComparisonTests
{
    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    [Fact]
    public void A_property_the_template_does_not_set_is_no_drift()
    {
        Assert.Empty(DriftComparison.Differences(Json("""{"A":"x"}"""), Json("""{"A":"x","Default":true}""")));
    }

    [Fact]
    public void Scalars_equal_as_text_are_equal()
    {
        Assert.Empty(DriftComparison.Differences(Json("""{"TTL":"300"}"""), Json("""{"TTL":300}""")));
    }

    [Fact]
    public void Each_kind_of_difference_has_its_path_and_both_values()
    {
        var differences = DriftComparison.Differences(
            Json("""{"Config":{"Comment":"a","Gone":"g"},"List":["one"]}"""),
            Json("""{"Config":{"Comment":"b"},"List":["one","two"]}"""));

        Assert.Equal(
            [
                new PropertyDifference("/Config/Comment", "\"a\"", "\"b\"", "NOT_EQUAL"),
                new PropertyDifference("/Config/Gone", "\"g\"", "null", "REMOVE"),
                new PropertyDifference("/List/1", "null", "\"two\"", "ADD"),
            ],
            differences);
    }
}
