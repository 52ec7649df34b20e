using System.Text.RegularExpressions;

namespace Portal.Infrastructure.Aws;

/// <summary>
/// Where and how the portal reaches AWS: the <c>AWS</c> configuration section (Profile, Region, ServiceURL) as
/// AWSSDK.Extensions.NETCore.Setup reads it, plus the retry policy of the portal's own clients.
/// </summary>
public sealed partial record AwsSettings
{
    /// <summary>
    /// The CloudFormation service role (<c>AWS:CloudFormationRoleArn</c>, output <c>CloudFormationRoleArn</c> of
    /// bootstrap.yaml) passed as RoleARN with every change set; null deploys with the portal's own credentials.
    /// </summary>
    public string? CloudFormationRoleArn { get; init; }

    /// <summary>Default region for regional calls that name none; stacks carry their own region.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>Named profile of the shared credentials file; null uses the SDK's default credential chain.</summary>
    public string? Profile { get; init; }

    /// <summary>One endpoint for every service (a local AWS-compatible endpoint); null means the real AWS endpoints.</summary>
    public Uri? ServiceUrl { get; init; }

    /// <summary>Attempts per call, the first included, before a retryable error is given up on.</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>First retry delay; each later one doubles, capped at <see cref="MaxRetryDelay"/>, with full jitter.</summary>
    public TimeSpan BaseRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long one HTTP attempt may take before it counts as a network error and is retried.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>What is wrong with a setting that must be an IAM role ARN, naming its key; null when it is one (or empty).</summary>
    public static string? RoleArnProblem(string key, string? value) =>
        string.IsNullOrEmpty(value) || RoleArnPattern().IsMatch(value)
            ? null
            : $"{key} must be an IAM role ARN such as arn:aws:iam::123456789012:role/portal-cloudformation (the bootstrap stack's outputs), not '{value}'.";

    [GeneratedRegex(@"^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]{1,512}$")]
    private static partial Regex RoleArnPattern();
}
