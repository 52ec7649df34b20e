using Amazon.Runtime;

namespace Portal.Infrastructure.Aws;

public enum AwsAccessMode
{
    /// <summary>Credentials resolve: the portal deploys.</summary>
    Live,

    /// <summary>No credentials, or plan-only chosen: the portal renders and offers each stack as a download, and calls no AWS API.</summary>
    PlanOnly,

    /// <summary>The portal deploys into its local cloud on loopback; nothing reaches AWS.</summary>
    Sandbox,
}

/// <summary>What <c>Aws:Mode</c> asks for; the credential chain then decides between live and plan-only for <see cref="Aws"/>.</summary>
public enum AwsModeSetting
{
    /// <summary>A real account: live when credentials resolve, plan-only otherwise.</summary>
    Aws,

    /// <summary>The local cloud (the default of <c>--demo</c> and the Development environment).</summary>
    Sandbox,

    /// <summary>Never deploy, even with credentials.</summary>
    PlanOnly,
}

/// <param name="Explanation">One or two sentences; settings and commands stand in backticks, which pages show as code.</param>
public sealed record AwsAccessStatus(AwsAccessMode Mode, string Explanation)
{
    public bool CanDeploy => Mode is AwsAccessMode.Live or AwsAccessMode.Sandbox;

    /// <summary>What the credential chain said, for administrators; too technical for the banner.</summary>
    public string? Detail { get; init; }
}

/// <summary>
/// Whether the portal may deploy: decided by whether the credential chain yields credentials, re-checked now and then
/// so credentials added later (a role attached, a profile written) switch the portal to live without a restart.
/// Resolving credentials is not an AWS API call.
/// </summary>
public sealed class AwsAccess(IAwsCredentialSource credentials, TimeProvider clock, AwsModeSetting setting = AwsModeSetting.Aws) : IDisposable
{
    public AwsModeSetting Setting => setting;

    private static readonly TimeSpan RecheckAfter = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (AwsAccessStatus Status, DateTimeOffset At)? _last;

    public async Task<AwsAccessStatus> GetStatusAsync(CancellationToken ct = default)
    {
        if (setting == AwsModeSetting.Sandbox)
        {
            return new AwsAccessStatus(AwsAccessMode.Sandbox,
                "Sandbox mode: stacks are deployed into the portal's local cloud on this machine, and nothing is created in AWS.");
        }

        if (setting == AwsModeSetting.PlanOnly)
        {
            return new AwsAccessStatus(AwsAccessMode.PlanOnly,
                "Plan-only mode (`AWS:Mode=PlanOnly`): nothing is deployed. Each stack can be downloaded with its parameters and the exact `aws cloudformation deploy` command.");
        }

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
