using Portal.Core.Deployments;
using Portal.Infrastructure.Deployments;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Infrastructure.Aws;
using Portal.Infrastructure.Accounts;

namespace Portal.Deployments;

public static class StackDownloadEndpoints
{
    /// <summary>
    /// Each rendered stack as a zip (template, parameters, tags, deploy.sh): <c>/stacks/shared.zip</c> and
    /// <c>/requests/{id}/stacks/{testing|production}/{stack}.zip</c>. Offered in plan-only mode and for review.
    /// </summary>
    public static WebApplication MapStackDownloads(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // ?account=<name> is a registered account's shared stack (its bootstrap's prefix, region and buckets).
        app.MapGet("/stacks/shared.zip", (IDeploymentStackSource source, AwsSettings aws, TargetAccountDirectory accounts, string? account) =>
            !accounts.Exists(account) ? Results.NotFound($"No AWS account named '{account}' is registered.")
            : File(StackDownloads.Create(source.SharedFor(account), roleArn: RoleFor(accounts, account, aws))));
        app.MapGet("/requests/{id:guid}/stacks/{environment}/{stack}.zip", async (Guid id, string environment, string stack, RequestService requests, IDeploymentStackSource source, AwsSettings aws,
            TargetAccountDirectory accounts, CancellationToken ct) =>
        {
            if (!Enum.TryParse<DeploymentEnvironment>(environment, ignoreCase: true, out var env) || !Enum.IsDefined(env))
            {
                return Results.BadRequest("environment must be testing or production.");
            }

            var request = await requests.GetAsync(id, ct);
            if (request is null)
            {
                return Results.NotFound("No such request.");
            }

            var account = request.CurrentRevision.Spec.Account;
            if (!accounts.Exists(account))
            {
                return Results.BadRequest($"The request names the AWS account '{account}', which is not registered.");
            }

            var rendered = source.Render(request, request.CurrentRevision, env);
            if (!rendered.IsSuccess)
            {
                return Results.BadRequest(string.Join("; ", rendered.Errors.Select(e => $"{e.Field}: {e.Message}")));
            }

            var match = rendered.Stacks.FirstOrDefault(s => s.StackName == stack);
            return match is null
                ? Results.NotFound($"Request {id} has no {env.ToString().ToLowerInvariant()} stack named '{stack}'.")
                : File(StackDownloads.Create(match, rendered.HeadersStacks.Where(h => h.StackName == match.Parameter("HeadersStackName")).ToList(), RoleFor(accounts, account, aws)));
        });
        return app;
    }

    /// <summary>The CloudFormation service role of the account the stack goes to.</summary>
    private static string? RoleFor(TargetAccountDirectory accounts, string? account, AwsSettings aws) =>
        accounts.Find(account) is { } registered ? registered.CloudFormationRoleArn(aws.CloudFormationRoleArn) : aws.CloudFormationRoleArn;

    private static IResult File(StackDownload download) => Results.File(download.Content, download.ContentType, download.FileName);
}
