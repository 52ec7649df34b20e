using Amazon.Runtime;

namespace Portal.Infrastructure.Aws;

public enum AwsAccessMode
{
    /// <summary>Credentials resolve: the portal deploys.</summary>
    Live,

    /// <summary>No credentials: the portal renders and offers each stack as a download, and calls no AWS API.</summary>
    PlanOnly,
}

public sealed record AwsAccessStatus(AwsAccessMode Mode, string Explanation)
{
    public bool CanDeploy => Mode == AwsAccessMode.Live;

    /// <summary>What the credential chain said, for administrators; too technical for the banner.</summary>
    public string? Detail { get; init; }
}

/// <summary>
/// Whether the portal may deploy: decided by whether the credential chain yields credentials, re-checked now and then
/// so credentials added later (a role attached, a profile written) switch the portal to live without a restart.
/// Resolving credentials is not an AWS API call.
/// </summary>
public sealed class AwsAccess(IAwsCredentialSource credentials, TimeProvider clock) : IDisposable
{
    private static readonly TimeSpan RecheckAfter = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (AwsAccessStatus Status, DateTimeOffset At)? _last;

    public async Task<AwsAccessStatus> GetStatusAsync(CancellationToken ct = default)
    {
        var last = _last;
        if (last is not null && clock.GetUtcNow() - last.Value.At < RecheckAfter)
        {
            return last.Value.Status;
        }

        await _gate.WaitAsync(ct);
        try
        {
            var result = await credentials.ResolveAsync(ct);
            var status = result.Found
                ? new AwsAccessStatus(AwsAccessMode.Live, "AWS credentials found: stacks are deployed through CloudFormation.")
                : new AwsAccessStatus(AwsAccessMode.PlanOnly,
                    "Plan-only mode: no AWS credentials were found, so nothing is deployed. Each stack can be downloaded with its parameters and the exact `aws cloudformation deploy` command.")
                {
                    Detail = result.Problem,
                };
            _last = (status, clock.GetUtcNow());
            return status;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}

/// <summary>Hands the portal's credential source to AWSSDK clients (S3), so every client signs with the same credentials.</summary>
public sealed class CredentialSourceAdapter(IAwsCredentialSource source) : AWSCredentials
{
    public override ImmutableCredentials GetCredentials() => GetCredentialsAsync().GetAwaiter().GetResult();

    public override async Task<ImmutableCredentials> GetCredentialsAsync()
    {
        var result = await source.ResolveAsync();
        return result.Credentials ?? throw new AmazonClientException("No AWS credentials: " + result.Problem);
    }
}
