using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Core.Deployments;
using Portal.Infrastructure.Deployments;
using Portal.Core.Health;
using Portal.Infrastructure.Health;
using Portal.Core.Identity;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Text;
using Portal.Core.Workflow;

namespace Portal.Api;

/// <summary>
/// Version 1 of the REST API, for automation (CI/CD pipelines): the same services and rules as the pages, so a script
/// can do nothing a person at the UI could not. Mounted on the bearer-only API group.
/// </summary>
public static class PortalApiEndpoints
{
    /// <summary>Bodies are request specs or a reason: far below this.</summary>
    private const int MaxBodyBytes = 256 * 1024;

    private const int DefaultPageSize = 25;

    /// <summary>An action body is one flat object.</summary>
    private const int MaxActionBodyDepth = 4;

    public static RouteGroupBuilder MapPortalApiV1(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var v1 = api.MapGroup("/v1").WithTags("v1");
        // Creating is the one operation whose role the endpoint itself can tell (the workflow decides each action per request).
        v1.MapPost("/requests", CreateAsync).WithName("CreateRequest")
            .RequireAuthorization(p => p.RequireRole(nameof(PortalRole.Requester), nameof(PortalRole.Admin)))
            .Accepts<JsonElement>("application/json").Produces<ApiRequest>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        v1.MapGet("/requests", ListAsync).WithName("ListRequests").Produces<ApiRequestPage>().ProducesValidationProblem();
        v1.MapGet("/requests/{id:guid}", GetAsync).WithName("GetRequest").Produces<ApiRequest>().ProducesProblem(StatusCodes.Status404NotFound);
        v1.MapPost("/requests/{id:guid}/revisions", ReviseAsync).WithName("ReviseRequest")
            .Accepts<JsonElement>("application/json").Produces<ApiRequest>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        v1.MapPost("/requests/{id:guid}/revisions/{number:int}/restore", RestoreRevisionAsync).WithName("RestoreRevision")
            .Produces<ApiRequest>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        v1.MapPost("/requests/{id:guid}/actions/{action}", ActAsync).WithName("ApplyAction")
            .Accepts<ApiActionBody>("application/json").Produces<ApiRequest>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        v1.MapGet("/requests/{id:guid}/promotion-preview", PromotionPreviewAsync).WithName("PreviewPromotion")
            .Produces<ApiPromotionPreview>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        v1.MapGet("/requests/{id:guid}/plan", PlanAsync).WithName("GetProductionPlan")
            .Produces<ApiPlan>().ProducesProblem(StatusCodes.Status404NotFound);
        v1.MapGet("/requests/{id:guid}/preflight", PreflightAsync).WithName("RunPreflight")
            .Produces<ApiPreflight>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        v1.MapGet("/requests/{id:guid}/drift", DriftAsync).WithName("GetDrift")
            .Produces<ApiDrift>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        v1.MapPost("/requests/{id:guid}/drift-checks", CheckDriftAsync).WithName("CheckDriftNow")
            .Produces<ApiDrift>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        v1.MapGet("/health/{name}", HealthAsync).WithName("GetHealth").Produces<ApiHealth>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        v1.MapOpenApi("/openapi.json");
        return v1;
    }

    /// <param name="team">The team the request belongs to (the caller must be a member); none: the caller's own.</param>
    private static async Task<IResult> CreateAsync(HttpContext context, RequestService service, DeploymentQueries deployments, bool? submit, string? team, CancellationToken ct)
    {
        if (ActorFactory.FromPrincipal(context.User) is not { } actor)
        {
            return Results.Unauthorized();
        }

        var (spec, problem) = await ReadSpecAsync(context, ct);
        if (problem is not null)
        {
            return problem;
        }

        var result = await service.CreateAsync(spec!, actor, submit ?? false, team, ct);
        if (!result.Succeeded)
        {
            return ApiProblems.Refusal(context, result);
        }

        var view = await ViewAsync(context, service, deployments, result.RequestId, actor, ct);
        return view is null ? ApiProblems.NotFound("No such request.") : Results.Created($"/api/v1/requests/{result.RequestId}", view);
    }

    private static async Task<IResult> ListAsync(
        HttpContext context, RequestQueries queries, string? kind, string? state, string? owner, string? search, int? page, int? pageSize, CancellationToken ct)
    {
        if (ActorFactory.FromPrincipal(context.User) is not { } actor)
        {
            return Results.Unauthorized();
        }

        var errors = new List<FieldError>();
        RequestKind? kindFilter = null;
        if (!string.IsNullOrEmpty(kind))
        {
            kindFilter = kind switch
            {
                "site" => RequestKind.Site,
                "mta-sts" => RequestKind.MtaSts,
                _ => null,
            };
            if (kindFilter is null)
            {
                errors.Add(new("kind", "Must be \"site\" or \"mta-sts\"."));
            }
        }

        var states = new List<RequestState>();
        foreach (var name in (state ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (TryParseState(name, out var s))
            {
                states.Add(s);
            }
            else
            {
                errors.Add(new("state", $"'{name}' is not a request state; use one of: {string.Join(", ", Enum.GetValues<RequestState>().Select(StateName))}."));
            }
        }

        if (FreeText.Problem(search, "Search", FreeText.MaxSearchLength) is { } searchProblem)
        {
            errors.Add(new("search", searchProblem));
        }

        if (owner is not (null or "" or "me"))
        {
            errors.Add(new("owner", "Only \"me\" is supported."));
        }

        if (page is < 0)
        {
            errors.Add(new("page", "Must be 0 or more (pages count from 0)."));
        }

        if (pageSize is < 1 or > RequestListQuery.MaxPageSize)
        {
            errors.Add(new("pageSize", $"Must be between 1 and {RequestListQuery.MaxPageSize}."));
        }

        // Past this the rows to skip do not fit the database's row count type: no list has that many.
        if (page is { } asked && pageSize is not < 1 and not > RequestListQuery.MaxPageSize && (long)asked * (pageSize ?? DefaultPageSize) > int.MaxValue)
        {
            errors.Add(new("page", $"Must be at most {(int.MaxValue / (pageSize ?? DefaultPageSize)).ToString(CultureInfo.InvariantCulture)} for this page size."));
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var result = await queries.ListAsync(new RequestListQuery
        {
            Kind = kindFilter,
            States = states,
            OwnerId = owner == "me" ? actor.Id : null,
            TeamIds = owner == "me" ? actor.Teams.ToList() : [],
            Search = search,
            Page = page ?? 0,
            PageSize = pageSize ?? DefaultPageSize,
        }, ct);
        return Results.Ok(new ApiRequestPage(result.Items, result.TotalCount, result.Page, result.PageSize));
    }

    private static async Task<IResult> GetAsync(HttpContext context, Guid id, RequestService service, DeploymentQueries deployments, CancellationToken ct)
    {
        if (ActorFactory.FromPrincipal(context.User) is not { } actor)
        {
            return Results.Unauthorized();
        }

        var view = await ViewAsync(context, service, deployments, id, actor, ct);
        return view is null ? ApiProblems.NotFound($"There is no request {id}.") : Results.Ok(view);
    }

    /// <summary>What promoting the request's current revision would change in production, stack by stack.</summary>
    private static async Task<IResult> PromotionPreviewAsync(HttpContext context, Guid id, RequestService service, PromotionPreview preview, CancellationToken ct)
    {
        if (ActorFactory.FromPrincipal(context.User) is not { } actor)
        {
            return Results.Unauthorized();
        }

        var request = await service.GetAsync(id, ct);
        if (request is null)
        {
            return ApiProblems.NotFound($"There is no request {id}.");
        }

        var result = await preview.ForAsync(request, ct);
        return Results.Ok(ApiPromotionPreview.From(request, result));
    }

    /// <summary>
    /// The production plan an approver reviews: CloudFormation's change sets for production, created when approval was
    /// requested; promote with its <c>id</c> as <c>planId</c> to approve exactly it. 404 when no plan was made.
    /// </summary>
    private static async Task<IResult> PlanAsync(HttpContext context, Guid id, RequestService service, CancellationToken ct)
    {
        if (ActorFactory.FromPrincipal(context.User) is null)
        {
            return Results.Unauthorized();
        }

        if (await service.GetAsync(id, ct) is null)
        {
            return ApiProblems.NotFound($"There is no request {id}.");
        }

        var plan = await service.CurrentPlanAsync(id, ct);
        return plan is null
            ? ApiProblems.NotFound("No production plan was made for this request: one is made when approval is requested and the portal deploys.")
            : Results.Ok(ApiPlan.From(plan, await service.LastStalePlanAsync(id, ct)));
    }

    /// <summary>The checks the engine runs before deploying, for the environment asked (default: the one the request deploys to next).</summary>
    private static async Task<IResult> PreflightAsync(HttpContext context, Guid id, string? environment, RequestService service, IDeploymentPreflight preflight, CancellationToken ct)
    {
        if (ActorFactory.FromPrincipal(context.User) is null)
        {
            return Results.Unauthorized();
        }

        DeploymentEnvironment? chosen = null;
        if (!string.IsNullOrEmpty(environment))
        {
            chosen = environment switch
            {
                "testing" => DeploymentEnvironment.Testing,
                "production" => DeploymentEnvironment.Production,
                _ => null,
            };
            if (chosen is null)
            {
                return ApiProblems.Validation("environment", "Must be \"testing\" or \"production\".");
            }
        }

        var request = await service.GetAsync(id, ct);
        if (request is null)
        {
            return ApiProblems.NotFound($"There is no request {id}.");
        }

        var report = await preflight.RunAsync(request, chosen ?? PreflightRules.NextEnvironment(request), ct);
        return Results.Ok(ApiPreflight.From(report));
    }

    /// <summary>Each stack's drift: in sync, drifted (with the differing properties), not checked or checking, and when it was last checked.</summary>
    private static async Task<IResult> DriftAsync(HttpContext context, Guid id, DriftService drift, CancellationToken ct)
    {
        if (ActorFactory.FromPrincipal(context.User) is null)
        {
            return Results.Unauthorized();
        }

        var found = await drift.ForRequestAsync(id, ct);
        return found is null ? ApiProblems.NotFound($"There is no request {id}.") : Results.Ok(ApiDrift.From(found));
    }

    /// <summary>Starts a drift detection of every stack of the request (its owner, an approver or an admin); poll GET .../drift for the result.</summary>
    private static async Task<IResult> CheckDriftAsync(HttpContext context, Guid id, DriftService drift, CancellationToken ct)
    {
        if (ActorFactory.FromPrincipal(context.User) is not { } actor)
        {
            return Results.Unauthorized();
        }

        var result = await drift.CheckNowAsync(id, actor, ct);
        if (result.Code == RefusalCode.NotFound)
        {
            return ApiProblems.NotFound(result.Problem!);
        }

        return result.Succeeded
            ? Results.Accepted($"/api/v1/requests/{id}/drift", ApiDrift.From(result.Drift!))
            : ApiProblems.Refusal(context, RequestCommandResult.Refused(id, result.Code!.Value, result.Problem!));
    }

    private static async Task<IResult> ReviseAsync(HttpContext context, Guid id, RequestService service, DeploymentQueries deployments, int? expectedVersion, CancellationToken ct)
    {
        if (ActorFactory.FromPrincipal(context.User) is not { } actor)
        {
            return Results.Unauthorized();
        }

        var (version, versionProblem) = ExpectedVersion(context, expectedVersion);
        if (versionProblem is not null)
        {
            return versionProblem;
        }

        var (spec, problem) = await ReadSpecAsync(context, ct);
        if (problem is not null)
        {
            return problem;
        }

        // A draft was never deployed: its one revision is edited in place (not submitted), as on the edit page.
        var result = await service.SaveAsync(new SaveRequestCommand(id, version, spec!, Submit: false), actor, ct);
        if (result.Code == RefusalCode.NotFound)
        {
            return ApiProblems.NotFound($"There is no request {id}.");
        }

        return await OutcomeAsync(context, service, deployments, actor, result, ct);
    }

    /// <summary>A new revision with an earlier revision's spec; refused with today's validation messages when that spec no longer holds.</summary>
    private static async Task<IResult> RestoreRevisionAsync(
        HttpContext context, Guid id, int number, RequestService service, DeploymentQueries deployments, int? expectedVersion, CancellationToken ct)
    {
        if (ActorFactory.FromPrincipal(context.User) is not { } actor)
        {
            return Results.Unauthorized();
        }

        var (version, versionProblem) = ExpectedVersion(context, expectedVersion);
        if (versionProblem is not null)
        {
            return versionProblem;
        }

        var result = await service.RestoreRevisionAsync(id, number, actor, version, ct);
        if (result.Code == RefusalCode.NotFound)
        {
            return ApiProblems.NotFound(result.Message ?? $"There is no request {id}.");
        }

        return await OutcomeAsync(context, service, deployments, actor, result, ct);
    }

    private static async Task<IResult> ActAsync(
        HttpContext context, Guid id, string action, RequestService service, DeploymentQueries deployments, int? expectedVersion, CancellationToken ct)
    {
        if (ActorFactory.FromPrincipal(context.User) is not { } actor)
        {
            return Results.Unauthorized();
        }

        if (!ApiActions.TryParse(action, out var workflowAction))
        {
            return ApiProblems.Validation("action", $"'{action}' is not an action; use one of: {string.Join(", ", ApiActions.Names)}.");
        }

        var (body, bodyProblem) = await ReadActionBodyAsync(context, ct);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        var (version, versionProblem) = ExpectedVersion(context, expectedVersion ?? body?.ExpectedVersion);
        if (versionProblem is not null)
        {
            return versionProblem;
        }

        if (body?.PlanId is not null && workflowAction != WorkflowAction.Promote)
        {
            return ApiProblems.Validation("planId", "Only promote approves a production plan.");
        }

        var result = workflowAction == WorkflowAction.Promote
            ? await service.PromoteAsync(id, actor, body?.Reason, version, expectedPlanId: body?.PlanId, ct: ct)
            : await service.ApplyAsync(id, workflowAction, actor, body?.Reason, version, ct);
        return await OutcomeAsync(context, service, deployments, actor, result, ct);
    }

    private static async Task<IResult> HealthAsync(HttpContext context, string name, string? kind, bool? run, HealthService health, CancellationToken ct)
    {
        if (ActorFactory.FromPrincipal(context.User) is not { } actor)
        {
            return Results.Unauthorized();
        }

        HealthCheckKind? checkKind = kind switch
        {
            "site" => HealthCheckKind.Site,
            "mail" => HealthCheckKind.Mail,
            _ => null,
        };
        if (checkKind is null)
        {
            return ApiProblems.Validation("kind", "Must be \"site\" or \"mail\".");
        }

        var normalized = name.Trim().TrimEnd('.').ToLowerInvariant();
        var problem = HostNameRules.Check(normalized);
        if (problem is not null)
        {
            return ApiProblems.Validation("name", "The name " + problem);
        }

        var target = (await health.ListAsync(ct)).FirstOrDefault(t => t.Name == normalized && t.Kind == checkKind);
        if (run == true)
        {
            var ran = await health.RunAsync(normalized, checkKind.Value, actor, ct);
            if (ran.Code is { } code)
            {
                return code switch
                {
                    RefusalCode.Invalid => ApiProblems.Validation("name", ran.Problem!),
                    _ => ApiProblems.Refusal(context, RequestCommandResult.Refused(Guid.Empty, code, ran.Problem!)),
                };
            }

            if (ran.Report is { } report)
            {
                return Results.Ok(new ApiHealth(report.Name, report.Kind, ran.Watched, report.CheckedAt, report.Worst, report.Grade, report.Score, report.MtaStsMode,
                    report.CertificateExpires, report.Findings) { MxHosts = report.MxHosts });
            }

            // A scheduled scan is checking it right now: its result is the latest stored one shortly.
            target = (await health.ListAsync(ct)).FirstOrDefault(t => t.Id == ran.TargetId);
        }

        if (target is null)
        {
            return ApiProblems.NotFound($"The portal does not watch {normalized} ({kind}); ask with run=true to check it now.");
        }

        var (_, history) = await health.HistoryAsync(target.Id, 1, ct);
        var latest = history.Count > 0 ? history[0] : null;
        return Results.Ok(new ApiHealth(target.Name, target.Kind, true, latest?.CheckedAt, latest?.Worst, latest?.Grade, latest?.Score, latest?.Mode,
            latest?.CertificateExpires, latest?.Findings ?? []) { MxHosts = latest?.MxHosts ?? [] });
    }

    private static async Task<IResult> OutcomeAsync(
        HttpContext context, RequestService service, DeploymentQueries deployments, Actor actor, RequestCommandResult result, CancellationToken ct)
    {
        if (!result.Succeeded)
        {
            return ApiProblems.Refusal(context, result);
        }

        var view = await ViewAsync(context, service, deployments, result.RequestId, actor, ct);
        return view is null ? ApiProblems.NotFound("No such request.") : Results.Ok(view);
    }

    private static async Task<ApiRequest?> ViewAsync(HttpContext context, RequestService service, DeploymentQueries deployments, Guid id, Actor actor, CancellationToken ct)
    {
        var request = await service.GetAsync(id, ct);
        if (request is null)
        {
            return null;
        }

        context.Response.Headers.ETag = $"\"{request.Version.ToString(CultureInfo.InvariantCulture)}\"";
        // The drift summary rides along so a pipeline reading the request sees drift without a second call.
        var drift = await context.RequestServices.GetRequiredService<DriftService>().ForRequestAsync(id, ct);
        return ApiRequest.From(request, service.ActionsFor(request, actor), await deployments.RunsAsync(id, ct), await service.CurrentPlanAsync(id, ct), drift);
    }

    /// <summary>The version the caller last saw: <c>If-Match</c> (the ETag of a GET) or <c>expectedVersion</c>; both must agree.</summary>
    private static (int? Version, IResult? Problem) ExpectedVersion(HttpContext context, int? fromQueryOrBody)
    {
        var header = context.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return (fromQueryOrBody, null);
        }

        var text = header.Trim();
        if (text.StartsWith("W/", StringComparison.Ordinal))
        {
            text = text[2..];
        }

        if (!int.TryParse(text.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return (null, ApiProblems.Validation("If-Match", "Must be the ETag of the request, e.g. \"3\"."));
        }

        return fromQueryOrBody is { } other && other != version
            ? (null, ApiProblems.Validation("expectedVersion", "Disagrees with If-Match; send one of them."))
            : (version, null);
    }

    private static async Task<(RequestSpec? Spec, IResult? Problem)> ReadSpecAsync(HttpContext context, CancellationToken ct)
    {
        var (text, problem) = await ReadBodyAsync(context, ct);
        if (problem is not null)
        {
            return (null, problem);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, ApiProblems.Validation("$", "The body must be a request in JSON (the same shape as the render command's file)."));
        }

        var parsed = RequestSpecJson.Parse(text);
        return parsed.IsSuccess
            ? (parsed.Spec, null)
            : (null, parsed.Errors.Count > 0 ? ApiProblems.Validation(parsed.Errors) : ApiProblems.Validation(parsed.Field ?? "$", parsed.Error ?? "The request cannot be read."));
    }

    private static async Task<(ApiActionBody? Body, IResult? Problem)> ReadActionBodyAsync(HttpContext context, CancellationToken ct)
    {
        var (text, problem) = await ReadBodyAsync(context, ct);
        if (problem is not null || string.IsNullOrWhiteSpace(text))
        {
            return (null, problem);
        }

        // Malformed JSON, deep nesting, repeated keys and strings that are not text are refused by path before reading.
        // The reason's own rule names its limit; the body's size limit bounds it before that.
        var shape = JsonShape.Check(text, MaxActionBodyDepth, maxStringLength: int.MaxValue, multiline: true);
        if (shape.Count > 0)
        {
            return (null, ApiProblems.Validation(shape));
        }

        using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = MaxActionBodyDepth });
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return (null, ApiProblems.Validation("$", "The body must be a JSON object such as {\"reason\": \"...\", \"expectedVersion\": 3}."));
        }

        string? reason = null;
        int? version = null;
        Guid? plan = null;
        foreach (var property in document.RootElement.EnumerateObject())
        {
            switch (property.Name)
            {
                case "reason" when property.Value.ValueKind == JsonValueKind.String:
                    var (readReason, reasonProblem) = JsonShape.ReadString(property.Value, FreeText.MaxReasonLength, "The reason", multiline: true);
                    if (reasonProblem is not null)
                    {
                        return (null, ApiProblems.Validation("reason", reasonProblem));
                    }

                    reason = readReason;
                    break;
                case "reason" when property.Value.ValueKind == JsonValueKind.Null:
                    break;
                case "reason":
                    return (null, ApiProblems.Validation("reason", "Must be a string."));
                case "expectedVersion" when property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out var v) && v >= 0:
                    version = v;
                    break;
                case "expectedVersion" when property.Value.ValueKind == JsonValueKind.Null:
                    break;
                case "expectedVersion":
                    return (null, ApiProblems.Validation("expectedVersion", "Must be a whole number (the request's version)."));
                case "planId" when property.Value.ValueKind == JsonValueKind.String && Guid.TryParse(property.Value.GetString(), out var planId):
                    plan = planId;
                    break;
                case "planId" when property.Value.ValueKind == JsonValueKind.Null:
                    break;
                case "planId":
                    return (null, ApiProblems.Validation("planId", "Must be the id of the production plan you reviewed (a GUID, from GET .../plan)."));
                default:
                    return (null, ApiProblems.Validation(property.Name, "Unknown field."));
            }
        }

        return (new ApiActionBody(reason, version, plan), null);
    }

    private static async Task<(string? Text, IResult? Problem)> ReadBodyAsync(HttpContext context, CancellationToken ct)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return (null, TooLarge());
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (null, TooLarge());
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            return (new UTF8Encoding(false, true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length), null);
        }
        catch (DecoderFallbackException)
        {
            return (null, ApiProblems.Validation("$", "The body is not UTF-8 text."));
        }
    }

    private static ProblemHttpResult TooLarge() =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The body is too large", detail: $"Bodies are limited to {MaxBodyBytes / 1024} KiB.");

    private static bool TryParseState(string name, out RequestState state)
    {
        foreach (var candidate in Enum.GetValues<RequestState>())
        {
            if (string.Equals(StateName(candidate), name, StringComparison.OrdinalIgnoreCase) || string.Equals(candidate.ToString(), name, StringComparison.OrdinalIgnoreCase))
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }

    /// <summary>The state as the API writes it (kebab-case, like every enum in the request JSON).</summary>
    public static string StateName(RequestState state) => JsonNamingPolicy.KebabCaseLower.ConvertName(state.ToString());
}
