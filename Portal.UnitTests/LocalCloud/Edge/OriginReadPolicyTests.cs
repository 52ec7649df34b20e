using System.Text.Json.Nodes;
using Portal.LocalCloud.Edge;

namespace Portal.Tests.LocalCloud.Edge;

/// <summary>
/// The bucket policy evaluation of CloudFront's reads follows AWS's logic: an Allow for the service principal with the
/// distribution's <c>aws:SourceArn</c> grants, an explicit Deny wins, nothing granted is denied, and an anonymous read
/// matches only <c>"Principal": "*"</c>.
/// </summary>
public sealed class OriginReadPolicyTests
{
    private const string Own = "arn:aws:cloudfront::123456789012:distribution/EOWN";
    private const string Other = "arn:aws:cloudfront::123456789012:distribution/EOTHER";

    private static JsonObject SitePolicy() => JsonNode.Parse("""
        {
          "Version": "2012-10-17",
          "Statement": [
            { "Sid": "OwnDistributionReads", "Effect": "Allow", "Principal": { "Service": "cloudfront.amazonaws.com" },
              "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site-bucket/*",
              "Condition": { "StringEquals": { "aws:SourceArn": "arn:aws:cloudfront::123456789012:distribution/EOWN" } } },
            { "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
              "Resource": ["arn:aws:s3:::site-bucket", "arn:aws:s3:::site-bucket/*"],
              "Condition": { "Bool": { "aws:SecureTransport": "false" } } }
          ]
        }
        """)!.AsObject();

    private static OriginRead Read(string? signedBy, bool secure = true, string bucket = "site-bucket") =>
        new(bucket, "testing/docs.example.com/index.html", signedBy, "123456789012", secure);

    [Fact]
    public void The_named_distribution_reads() => Assert.True(OriginReadPolicy.Allows(SitePolicy(), Read(Own)));

    [Fact]
    public void Another_distribution_of_the_account_is_denied() => Assert.False(OriginReadPolicy.Allows(SitePolicy(), Read(Other)));

    [Fact]
    public void An_unsigned_read_is_anonymous_and_denied() => Assert.False(OriginReadPolicy.Allows(SitePolicy(), Read(null)));

    [Fact]
    public void The_explicit_deny_of_plain_http_wins_over_the_allow() => Assert.False(OriginReadPolicy.Allows(SitePolicy(), Read(Own, secure: false)));

    [Fact]
    public void No_policy_grants_nothing() => Assert.False(OriginReadPolicy.Allows(null, Read(Own)));

    [Fact]
    public void An_allow_for_another_bucket_grants_nothing() => Assert.False(OriginReadPolicy.Allows(SitePolicy(), Read(Own, bucket: "other-bucket")));

    [Fact]
    public void ArnLike_with_a_wildcard_grants_every_distribution_of_the_account()
    {
        var policy = SitePolicy();
        var condition = policy["Statement"]![0]!["Condition"]!.AsObject();
        condition.Remove("StringEquals");
        condition["ArnLike"] = new JsonObject { ["aws:SourceArn"] = "arn:aws:cloudfront::123456789012:distribution/*" };

        Assert.True(OriginReadPolicy.Allows(policy, Read(Other)));
        Assert.False(OriginReadPolicy.Allows(policy, Read("arn:aws:cloudfront::999999999999:distribution/EOTHER")));
    }

    [Fact]
    public void A_condition_on_a_key_the_read_does_not_carry_is_false_so_its_allow_grants_nothing()
    {
        var policy = SitePolicy();
        policy["Statement"]![0]!["Condition"] = JsonNode.Parse("""{ "StringEquals": { "aws:PrincipalOrgID": "o-abc" } }""");

        Assert.False(OriginReadPolicy.Allows(policy, Read(Own)));
    }

    [Fact]
    public void A_statement_with_not_resource_that_denies_denies()
    {
        var policy = SitePolicy();
        policy["Statement"]!.AsArray().Add(JsonNode.Parse("""{ "Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::elsewhere/*" }"""));

        Assert.False(OriginReadPolicy.Allows(policy, Read(Own)));
    }
}
