using Microsoft.AspNetCore.Http.Features;
using Portal.Api;
using Portal.Core.Content;
using Portal.Infrastructure.Content;
using Portal.Core.Identity;

namespace Portal.Content;

/// <summary>The content API for pipelines: upload a site's zip to testing, record what a pipeline published, list versions.</summary>
public static class ContentEndpoints
{
    /// <summary>
    /// On the bearer-only API v1 group (<c>/api/v1</c>): <c>POST /sites/{id}/content</c> (the zip as the body),
    /// <c>POST /sites/{id}/content/record</c>, <c>GET /sites/{id}/content</c>, <c>GET /sites/{id}/content/{version}</c>
    /// and <c>GET /sites/{id}/content/approval</c>. Every error is an RFC 9457 problem document.
    /// </summary>
    public static RouteGroupBuilder MapContentEndpoints(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        const string Content = "/sites/{id:guid}/content";
        v1.MapPost(Content, UploadAsync).WithName("UploadSiteContent").WithTags("Content").DisableAntiforgery()
            .Accepts<Stream>("application/zip").Produces<ContentUploaded>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        v1.MapPost(Content + "/record", RecordAsync).WithName("RecordSiteTestingContent").WithTags("Content").DisableAntiforgery()
            .Produces<ContentUploaded>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        v1.MapGet(Content, ListAsync).WithName("ListSiteContent").WithTags("Content").Produces<ContentVersionList>();
        v1.MapGet(Content + "/approval", ApprovalAsync).WithName("SiteContentApproval").WithTags("Content").Produces<ContentApprovalView>();
        v1.MapGet(Content + "/{version:guid}", VersionAsync).WithName("GetSiteContentVersion").WithTags("Content")
            .Produces<IReadOnlyList<ContentFile>>().ProducesProblem(StatusCodes.Status404NotFound);

        // Rollback: the versions with what can be restored, and restoring one to testing (production follows through approval).
        const string Versions = "/requests/{id:guid}/content-versions";
        v1.MapGet(Versions, ContentVersionsAsync).WithName("ListContentVersions").WithTags("Content").Produces<IReadOnlyList<ContentVersionEntry>>();
        v1.MapPost(Versions + "/{number:int}/restore", RestoreAsync).WithName("RestoreContentVersion").WithTags("Content").DisableAntiforgery()
            .Produces<ContentUploaded>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        // An adopted site's content, carried over from the bucket it was served from before the portal managed it.
        v1.MapPost("/requests/{id:guid}/content/adopted-copy", CopyAdoptedAsync).WithName("CopyAdoptedContent").WithTags("Content").DisableAntiforgery()
            .Produces<ContentUploaded>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return v1;
    }

    /// <summary>
    /// One content version for rollback: where it is live, whether it can be restored to testing, and if not why
    /// (<c>expired</c> when the site's retention no longer keeps it).
    /// </summary>
    public sealed record ContentVersionEntry(
        ContentVersionSummary Version, bool LiveInTesting, bool LiveInProduction, bool Approved, bool Restorable, bool Expired, string? Reason);

    private static async Task<IResult> ContentVersionsAsync(Guid id, ContentQueries queries, CancellationToken ct)
    {
        var view = await queries.VersionsAsync(id, ct);
        return Results.Ok(view.Versions.Select(r => new ContentVersionEntry(r.Version, r.LiveInTesting, r.LiveInProduction, r.Approved, r.Restorable, r.Expired, r.Restore?.Reason)).ToList());
    }

    private static async Task<IResult> RestoreAsync(Guid id, int number, HttpContext http, ContentPublisher publisher, CancellationToken ct)
    {
        if (ActorFactory.FromPrincipal(http.User) is not { } actor)
        {
            return Results.Unauthorized();
        }

        var result = await publisher.RestoreAsync(id, number, actor, ct);
        return result.Problem is { } problem
            ? Problem(problem)
            : Results.Created($"/api/v1/sites/{id}/content/{result.Version!.Id}", new ContentUploaded(result.Version, result.Warning));
    }

    private static async Task<IResult> CopyAdoptedAsync(Guid id, HttpContext http, ContentPublisher publisher, CancellationToken ct)
    {
        if (ActorFactory.FromPrincipal(http.User) is not { } actor)
        {
            return Results.Unauthorized();
        }

        var result = await publisher.CopyAdoptedAsync(id, actor, ct);
        return result.Problem is { } problem
            ? Problem(problem)
            : Results.Created($"/api/v1/sites/{id}/content/{result.Version!.Id}", new ContentUploaded(result.Version, result.Warning));
    }

    /// <summary>The answer to an upload: the recorded version, and a warning when something after the upload did not work (the invalidation).</summary>
    public sealed record ContentUploaded(ContentVersionSummary Version, string? Warning);

    /// <summary>A site's versions, newest first, and the numbers live in testing and production and approved for production.</summary>
    public sealed record ContentVersionList(int? Testing, int? Production, int? Approved, IReadOnlyList<ContentVersionSummary> Versions);

    private static async Task<IResult> UploadAsync(Guid id, HttpContext http, ContentPublisher publisher, CancellationToken ct)
    {
        if (ActorFactory.FromPrincipal(http.User) is not { } actor)
        {
            return Results.Unauthorized();
        }

        var max = publisher.Options.MaxUploadBytes;
        if (http.Request.ContentLength is { } length && length > max)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Archive refused",
                $"The upload is {ContentOptions.ExactBytes(length)}; the limit is {ContentOptions.FormatBytes(max)}.", "archive-refused", ContentRefusalReason.TooLarge);
        }

        // The server's default body limit is far below a site's; the publisher enforces the configured one while reading.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max + 1;
        }

        ContentPublishResult result;
        try
        {
            result = await publisher.PublishAsync(id, http.Request.Body, actor, ContentSource.Api, null, http.Request.ContentLength ?? 0, ct);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // A body without a length (chunked) that goes past the limit is cut off by the server while it is read.
            return Problem(StatusCodes.Status413PayloadTooLarge, "Archive refused",
                $"The upload is larger than the limit of {ContentOptions.FormatBytes(max)}.", "archive-refused", ContentRefusalReason.TooLarge);
        }

        if (result.Problem is { } problem)
        {
            return Problem(problem);
        }

        return Results.Created($"/api/v1/sites/{id}/content/{result.Version!.Id}", new ContentUploaded(result.Version, result.Warning));
    }

    private static async Task<IResult> RecordAsync(Guid id, HttpContext http, ContentPublisher publisher, CancellationToken ct)
    {
        if (ActorFactory.FromPrincipal(http.User) is not { } actor)
        {
            return Results.Unauthorized();
        }

        var result = await publisher.RecordTestingAsync(id, actor, ct);
        return result.Problem is { } problem
            ? Problem(problem)
            : Results.Ok(new ContentUploaded(result.Version!, result.Warning));
    }

    private static async Task<IResult> ListAsync(Guid id, ContentQueries queries, CancellationToken ct)
    {
        var view = await queries.VersionsAsync(id, ct);
        return Results.Ok(new ContentVersionList(view.Testing?.Number, view.Production?.Number, view.Approved?.Number, view.Versions.Select(r => r.Version).ToList()));
    }

    private static async Task<IResult> ApprovalAsync(Guid id, ContentQueries queries, CancellationToken ct) =>
        Results.Ok(await queries.ApprovalAsync(id, ct));

    private static async Task<IResult> VersionAsync(Guid id, Guid version, ContentQueries queries, CancellationToken ct) =>
        await queries.FilesAsync(id, version, ct) is { } files
            ? Results.Ok(files)
            : Problem(StatusCodes.Status404NotFound, "No such content version", $"Site {id} has no content version {version}.", "not-found");

    private static int StatusFor(ContentProblem problem) => problem.Kind switch
    {
        ContentProblemKind.NotFound => StatusCodes.Status404NotFound,
        ContentProblemKind.Forbidden => StatusCodes.Status403Forbidden,
        ContentProblemKind.Refused when problem.Refusal == ContentRefusalReason.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ContentProblemKind.Refused => StatusCodes.Status422UnprocessableEntity,
        ContentProblemKind.NotReady or ContentProblemKind.Conflict => StatusCodes.Status409Conflict,
        ContentProblemKind.PlanOnly => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status502BadGateway,
    };

    private static string TitleFor(ContentProblemKind kind) => kind switch
    {
        ContentProblemKind.NotFound => "No such site",
        ContentProblemKind.Forbidden => "Not allowed",
        ContentProblemKind.Refused => "Archive refused",
        ContentProblemKind.NotReady => "Site not ready for content",
        ContentProblemKind.Conflict => "Upload in progress",
        ContentProblemKind.PlanOnly => "Plan-only mode",
        _ => "AWS failure",
    };

    private static IResult Problem(ContentProblem problem) =>
        Problem(StatusFor(problem), TitleFor(problem.Kind), problem.Message, problem.Code is { } code ? ApiProblems.Code(code) : CodeFor(problem.Kind), problem.Refusal);

    /// <summary>
    /// A problem document with a <c>code</c> for scripts to branch on, as the rest of the API has; a refused archive also
    /// carries its <c>reason</c> (kebab-case, e.g. <c>unsafe-path</c>).
    /// </summary>
    private static IResult Problem(int status, string title, string detail, string code, ContentRefusalReason? reason = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (reason is not null)
        {
            extensions["reason"] = ToKebab(reason.Value.ToString());
        }

        return Results.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);
    }

    private static string CodeFor(ContentProblemKind kind) => kind switch
    {
        ContentProblemKind.NotFound => "not-found",
        ContentProblemKind.Forbidden => "role-required",
        ContentProblemKind.Refused => "archive-refused",
        ContentProblemKind.NotReady => "not-allowed-in-state",
        ContentProblemKind.Conflict => "conflict",
        ContentProblemKind.PlanOnly => "plan-only",
        _ => "aws-failure",
    };

    private static string ToKebab(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
