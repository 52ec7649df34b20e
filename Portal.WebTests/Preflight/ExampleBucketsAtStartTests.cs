using System.Net;
using Portal.Tests.Aws.Loopback;
using Portal.Tests.Deployments;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Preflight;

/// <summary>
/// A portal that would deploy into a real account with the example bucket names does not start, and says which keys
/// to set; without credentials (plan-only) it starts with them, since nothing reaches an account.
/// </summary>
public sealed class ExampleBucketsAtStartTests
{
    [Fact]
    public async Task Aws_mode_with_credentials_and_no_bucket_settings_fails_at_start_naming_the_keys()
    {
        await using var aws = await LoopbackAws.StartAsync();
        using var data = new TemporaryFolder("portal-buckets-");
        var settings = Without(PortalAwsSettings.For(aws, data.Path, withCredentials: true));
        settings["AWS:Mode"] = "Aws";
        await using var portal = new PortalFactory(settings);

        var refused = Assert.ThrowsAny<Exception>(() => portal.CreateClient());

        var message = refused.ToString();
        Assert.Contains(
            "The bucket names are the examples: set Stacks:ContentBucketName and Stacks:LogBucketName to the account's own globally unique bucket names and restart the portal.",
            message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_only_keeps_the_example_buckets_and_starts()
    {
        await using var aws = await LoopbackAws.StartAsync();
        using var data = new TemporaryFolder("portal-buckets-");
        var settings = Without(PortalAwsSettings.For(aws, data.Path, withCredentials: false));
        settings["AWS:Mode"] = "Aws";
        await using var portal = new PortalFactory(settings);

        using var client = portal.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    private static Dictionary<string, string?> Without(Dictionary<string, string?> settings)
    {
        settings.Remove("Stacks:ContentBucketName");
        settings.Remove("Stacks:LogBucketName");
        return settings;
    }
}
