using Portal.Core.Content;
using Portal.Core.Requests;

namespace Portal.Tests.Content;

/// <summary>
/// Which content versions can be restored: the site's newest version is what testing holds, the versions up to the
/// retained count behind it are restorable, older ones are expired (their replaced objects may be gone), and a version
/// stored in a bucket testing no longer uses is never offered. The count is bounded by S3's limit.
/// </summary>
public sealed class ContentRetentionTests
{
    private const string Bucket = "portal-site-testing-docs-example-com-contentbucket-abc";

    [Theory]
    [InlineData(12, RestoreAvailability.Current)]
    [InlineData(11, RestoreAvailability.Restorable)]
    [InlineData(2, RestoreAvailability.Restorable)]
    [InlineData(1, RestoreAvailability.Expired)]
    public void With_ten_kept_the_ten_versions_before_the_newest_are_restorable_and_older_ones_expired(int number, RestoreAvailability expected)
    {
        Assert.Equal(expected, ContentRetention.For(number, Bucket, latestNumber: 12, Bucket, keep: 10).Availability);
    }

    [Fact]
    public void An_expired_version_says_it_is_no_longer_restorable_and_how_far_behind_it_is()
    {
        var expired = ContentRetention.For(1, Bucket, latestNumber: 4, Bucket, keep: 2);

        Assert.False(expired.Restorable);
        Assert.Equal("No longer restorable: the site keeps its 2 previous content versions, and this one is 3 behind.", expired.Reason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("portal-shared-content")]
    public void A_version_stored_in_another_bucket_than_testing_uses_is_never_offered(string? bucket)
    {
        var other = ContentRetention.For(3, bucket, latestNumber: 4, Bucket, keep: 10);

        Assert.Equal(RestoreAvailability.OtherBucket, other.Availability);
        Assert.False(other.Restorable);
    }

    [Fact]
    public void Without_a_testing_bucket_nothing_is_restorable()
    {
        Assert.False(ContentRetention.For(3, Bucket, latestNumber: 4, testingBucket: null, keep: 10).Restorable);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(10, true)]
    [InlineData(100, true)]
    [InlineData(101, false)]
    public void The_kept_count_is_between_one_and_s3s_limit_of_one_hundred(int keep, bool valid)
    {
        var errors = SpecValidator.Validate(new SiteSpec { Host = "docs.example.com", HostedZoneId = "Z0123456789ABC", HostedZoneName = "example.com", KeepContentVersions = keep }).Errors;

        Assert.Equal(valid ? null : "Keep between 1 and 100 earlier content versions (S3 retains at most 100).",
            errors.SingleOrDefault(e => e.Field == "keepContentVersions")?.Message);
    }

    [Fact]
    public void A_site_keeps_ten_versions_unless_it_says_otherwise_even_when_its_stored_spec_predates_the_setting()
    {
        var stored = (SiteSpec)RequestSpecJson.Parse("""{"kind":"site","host":"docs.example.com","hostedZoneId":"Z0123456789ABC","hostedZoneName":"example.com"}""").Spec!;

        Assert.Equal((10, 10), (new SiteSpec().KeepContentVersions, stored.KeepContentVersions));
    }
}
