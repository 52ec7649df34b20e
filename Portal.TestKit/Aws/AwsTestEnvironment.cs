namespace Portal.Tests.Aws;

/// <summary>
/// Keeps every test away from real AWS: no instance metadata lookups (they would leave this machine), no shared
/// credential files or profiles of the person running the tests, no credentials from the environment. Each test
/// assembly calls it from its own module initializer, so it holds before any test of that assembly runs.
/// </summary>
public static class AwsTestEnvironment
{
    public static void Isolate()
    {
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", "/nonexistent/aws-config");
        foreach (var name in new[] { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI" })
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }
}
