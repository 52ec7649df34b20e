using Portal.Core.Deployments;
using Portal.Infrastructure.Deployments;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Infrastructure.Aws;

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
        app.MapGet("/stacks/shared.zip", (IDeploymentStackSource source, AwsSettings aws) => File(StackDownloads.Create(source.Shared(), roleArn: aws.CloudFormationRoleArn)));
        app.MapGet("/requests/{id:guid}/stacks/{environment}/{stack}.zip", async (Guid id, string environment, string stack, RequestService requests, IDeploymentStackSource source, AwsSettings aws, CancellationToken ct) =>
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

            var rendered = source.Render(request, request.CurrentRevision, env);
            if (!rendered.IsSuccess)
            {
                return Results.BadRequest(string.Join("; ", rendered.Errors.Select(e => $"{e.Field}: {e.Message}")));
            }

            var match = rendered.Stacks.FirstOrDefault(s => s.StackName == stack);
            return match is null
                ? Results.NotFound($"Request {id} has no {env.ToString().ToLowerInvariant()} stack named '{stack}'.")
                : File(StackDownloads.Create(match, rendered.HeadersStacks.Where(h => h.StackName == match.Parameter("HeadersStackName")).ToList(), aws.CloudFormationRoleArn));
        });
        return app;
    }

    private static IResult File(StackDownload download) => Results.File(download.Content, download.ContentType, download.FileName);
}
