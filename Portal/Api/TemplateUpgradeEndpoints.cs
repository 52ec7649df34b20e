using System.Text.Json;
using Portal.Core.Identity;
using Portal.Core.Requests;
using Portal.Core.Upgrades;
using Portal.Core.Workflow;
using Portal.Infrastructure.Deployments;

namespace Portal.Api;

/// <summary>A stack behind the current release.</summary>
public sealed record ApiStackRelease(string StackName, DeploymentEnvironment? Environment, string? Release);

/// <summary>A request with stacks behind the current release; <c>notUpgradable</c> says why an upgrade would not be started for it.</summary>
public sealed record ApiBehindRequest(
    Guid RequestId, string Name, RequestKind Kind, RequestState State, string OwnerName, int Revision, bool Upgradable, string? NotUpgradable,
    IReadOnlyList<ApiStackRelease> Stacks);

/// <summary>The batches started recently.</summary>
public sealed record ApiUpgradeBatchSummary(Guid Id, string Release, DateTimeOffset StartedAt, string StartedBy, int Requests, int Started);

/// <summary>The current template release, the requests behind it and the batches started recently.</summary>
public sealed record ApiTemplateReleaseStatus(string CurrentRelease, IReadOnlyList<ApiBehindRequest> Behind, IReadOnlyList<ApiUpgradeBatchSummary> Batches);

/// <summary>One request of a batch: its upgrade revision (none when skipped), its step and a note (the skip or failure reason).</summary>
public sealed record ApiUpgradeItem(Guid RequestId, string Name, int? Revision, string Step, string? Note);

/// <summary>A batch and each request's progress.</summary>
public sealed record ApiUpgradeBatch(Guid Id, string Release, DateTimeOffset StartedAt, string StartedBy, int Started, int Skipped, int Live, bool Finished, IReadOnlyList<ApiUpgradeItem> Items)
{
    public static ApiUpgradeBatch From(UpgradeBatchView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new(view.Id, view.Release, view.StartedAt, view.StartedByName, view.Started, view.Skipped, view.Live, view.Finished,
            [.. view.Items.Select(i => new ApiUpgradeItem(i.RequestId, i.Name, i.RevisionNumber, TemplateUpgradeRules.Code(i.Step), i.Note))]);
    }
}

/// <summary>A request chosen for an upgrade, at the revision the caller saw.</summary>
public sealed record ApiUpgradeChoice(Guid Id, int Revision);

/// <summary>Body of <c>POST /api/v1/template-upgrades</c>: the chosen requests, or <c>all</c> for every request an upgrade can be started for now.</summary>
public sealed record ApiStartUpgradeBody(IReadOnlyList<ApiUpgradeChoice>? Requests, bool? All);

/// <summary>
/// Fleet-wide template upgrades for admins' scripts: which requests are behind the current template release, starting an
/// upgrade batch, and its progress. The same service and rules as the template upgrades page.
/// </summary>
public static class TemplateUpgradeEndpoints
{
    private const int MaxBodyBytes = 1024 * 1024;

    public static RouteGroupBuilder MapTemplateUpgradeApi(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        const string Path = "/template-upgrades";
        var upgrades = v1.MapGroup("").WithTags("Template upgrades").RequireAuthorization(p => p.RequireRole(nameof(PortalRole.Admin)));
        upgrades.MapGet(Path, StatusAsync).WithName("GetTemplateReleaseStatus")
            .Produces<ApiTemplateReleaseStatus>().ProducesProblem(StatusCodes.Status403Forbidden);
        upgrades.MapPost(Path, StartAsync).WithName("StartTemplateUpgrade")
            .Accepts<ApiStartUpgradeBody>("application/json").Produces<ApiUpgradeBatch>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        upgrades.MapGet(Path + "/{id:guid}", BatchAsync).WithName("GetTemplateUpgrade")
            .Produces<ApiUpgradeBatch>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return v1;
    }

    private static async Task<IResult> StatusAsync(TemplateUpgradeBatches upgrades, CancellationToken ct)
    {
        var status = await upgrades.BehindAsync(ct);
        var batches = await upgrades.RecentAsync(20, ct);
        return Results.Ok(new ApiTemplateReleaseStatus(
            status.CurrentRelease,
            [.. status.Behind.Select(r => new ApiBehindRequest(r.RequestId, r.Name, r.Kind, r.State, r.OwnerName, r.RevisionNumber, r.Upgradable, r.NotUpgradable,
                [.. r.Stacks.Select(s => new ApiStackRelease(s.StackName, s.Environment, s.Release))]))],
            [.. batches.Select(b => new ApiUpgradeBatchSummary(b.Id, b.Release, b.StartedAt, b.StartedByName, b.Requests, b.Started))]));
    }

    private static async Task<IResult> StartAsync(HttpContext context, TemplateUpgradeBatches upgrades, CancellationToken ct)
    {
        if (ActorFactory.FromPrincipal(context.User) is not { } actor)
        {
            return Results.Unauthorized();
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return ApiProblems.Validation("$", $"The body is larger than {MaxBodyBytes} bytes.");
        }

        ApiStartUpgradeBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<ApiStartUpgradeBody>(context.Request.Body, JsonSerializerOptions.Web, ct);
        }
        catch (JsonException ex)
        {
            return ApiProblems.Validation("$", "The body is not the expected JSON: " + ex.Message);
        }

        if (body is null || (body.All is not true && body.Requests is not { Count: > 0 }))
        {
            return ApiProblems.Validation("requests", "Name the requests to upgrade (each with the revision you saw), or send \"all\": true.");
        }

        if (body.All is true && body.Requests is { Count: > 0 })
        {
            return ApiProblems.Validation("all", "Send either \"requests\" or \"all\", not both.");
        }

        List<UpgradeSelection> chosen;
        if (body.All is true)
        {
            chosen = [.. (await upgrades.BehindAsync(ct)).Behind.Where(r => r.Upgradable).Select(r => new UpgradeSelection(r.RequestId, r.RevisionNumber))];
            if (chosen.Count == 0)
            {
                return ApiProblems.Validation("all", "No request can be upgraded now: none is behind the current release, or those behind are on their way.");
            }
        }
        else
        {
            if (body.Requests!.Any(r => r.Id == Guid.Empty || r.Revision < 1))
            {
                return ApiProblems.Validation("requests", "Each request needs its id and the revision (1 or more) you saw.");
            }

            chosen = [.. body.Requests!.Select(r => new UpgradeSelection(r.Id, r.Revision))];
        }

        var result = await upgrades.StartAsync(chosen, actor, ct);
        if (!result.Succeeded)
        {
            return ApiProblems.Refusal(context, new Infrastructure.Requests.RequestCommandResult(false, Guid.Empty, null, result.Code, result.Message, []));
        }

        return Results.Created($"/api/v1/template-upgrades/{result.Batch!.Id}", ApiUpgradeBatch.From(result.Batch));
    }

    private static async Task<IResult> BatchAsync(Guid id, TemplateUpgradeBatches upgrades, CancellationToken ct)
    {
        var batch = await upgrades.GetAsync(id, ct);
        return batch is null ? ApiProblems.NotFound($"There is no template upgrade {id}.") : Results.Ok(ApiUpgradeBatch.From(batch));
    }
}
