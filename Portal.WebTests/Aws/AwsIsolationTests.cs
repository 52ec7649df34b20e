namespace Portal.Tests.Aws;

/// <summary>The portals these tests start cannot reach the machine's AWS credentials or instance metadata.</summary>
public sealed class AwsIsolationTests
{
    [Fact]
    public void Metadata_lookups_are_off_and_no_credentials_come_from_the_environment_or_files()
    {
        Assert.Equal("true", Environment.GetEnvironmentVariable("AWS_EC2_METADATA_DISABLED"));
        Assert.Equal("/nonexistent/aws-credentials", Environment.GetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE"));
        Assert.Null(Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"));
        Assert.Null(Environment.GetEnvironmentVariable("AWS_PROFILE"));
    }
}
