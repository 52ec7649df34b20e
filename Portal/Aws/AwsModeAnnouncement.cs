using Portal.Infrastructure.Aws;

namespace Portal.Aws;

/// <summary>Says at start, in one line, whether this portal deploys into AWS, into its sandbox, or not at all, and why.</summary>
/// <remarks>Taking <see cref="AwsSettings"/> reads and checks the AWS settings at start, so a bad one stops the start.</remarks>
internal sealed partial class AwsModeAnnouncement(AwsModeChoice choice, AwsAccess access, AwsSettings settings, ILogger<AwsModeAnnouncement> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var status = await access.GetStatusAsync(cancellationToken);
        switch (status.Mode)
        {
            case AwsAccessMode.Live:
                LogLive(logger, choice.Reason);
                if (settings.CloudFormationRoleArn is null)
                {
                    LogNoServiceRole(logger);
                }

                break;
            case AwsAccessMode.Sandbox:
                LogSandbox(logger, choice.Reason);
                break;
            default:
                LogPlanOnly(logger, choice.Reason, status.Detail ?? "no detail");
                break;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "AWS:CloudFormationRoleArn is not set: CloudFormation deploys with the portal's own credentials. Deploy templates/bootstrap.yaml and set it to its CloudFormationRoleArn output.")]
    private static partial void LogNoServiceRole(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "AWS mode: live ({Reason}); AWS credentials were found, so stacks are deployed through CloudFormation.")]
    private static partial void LogLive(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "AWS mode: sandbox ({Reason}); stacks are deployed into the local cloud on this machine and nothing is created in AWS. Set AWS:Mode=Aws with credentials to use a real account.")]
    private static partial void LogSandbox(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "AWS mode: plan-only ({Reason}); nothing is deployed and each stack is offered as a download. Credentials: {Detail}. Give the portal AWS credentials (AWS:Profile, environment, or a role) to deploy, or set AWS:Mode=Sandbox to try it locally.")]
    private static partial void LogPlanOnly(ILogger logger, string reason, string detail);
}
