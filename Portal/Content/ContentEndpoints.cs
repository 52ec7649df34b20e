using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Portal.Core.Content;
using Portal.Core.Workflow;

namespace Portal.Content;

/// <summary>The content API for pipelines: upload a site's zip to testing, list its content versions.</summary>
public static class ContentEndpoints
{
    public const string GroupPath = "/api/v1/sites";

    /// <summary>
    /// <c>POST /api/v1/sites/{id}/content</c> (the zip as the body), <c>POST .../content/record</c> (record what a
    /// pipeline published to testing), <c>GET .../content</c> and <c>GET .../content/approval</c>. Every error is an
    /// RFC 9457 problem document. Returns the route group, so authorization is attached in one place.
    /// </summary>
    public static RouteGroupBuilder MapContentEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(GroupPath).WithTags("Content");
        group.MapPost("/{id:guid}/content", UploadAsync).WithName("UploadSiteContent").DisableAntiforgery();
        group.MapPost("/{id:guid}/content/record", RecordAsync).WithName("RecordSiteTestingContent").DisableAntiforgery();
        group.MapGet("/{id:guid}/content", ListAsync).WithName("ListSiteContent");
        group.MapGet("/{id:guid}/content/approval", ApprovalAsync).WithName("SiteContentApproval");
        return group;
    }

    private static async Task<IResult> UploadAsync(Guid id, HttpContext http, ContentPublisher publisher, CancellationToken ct)
    {
        var actor = ActorOf(http.User);
        if (actor is null)
        {
            return Problem(StatusCodes.Status401Unauthorized, "Sign-in required", "Uploading content needs a signed-in person.");
        }

        var max = publisher.Options.MaxUploadBytes;
        if (http.Request.ContentLength is { } length && length > max)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Archive refused",
                $"The upload is {ContentOptions.ExactBytes(length)}; the limit is {ContentOptions.FormatBytes(max)}.", ContentRefusalReason.TooLarge);
        }

        // The server's default body limit is far below a site's; the publisher enforces the configured one while reading.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max + 1;
        }

        var result = await publisher.PublishAsync(id, http.Request.Body, actor, ContentSource.Api, null, http.Request.ContentLength ?? 0, ct);
        if (result.Problem is { } problem)
        {
            return Problem(StatusFor(problem), TitleFor(problem.Kind), problem.Message, problem.Refusal);
        }

        return Results.Created($"{GroupPath}/{id}/content/{result.Version!.Id}", new { version = result.Version, warning = result.Warning });
    }

    /// <summary>Records what a pipeline published to testing as a content version.</summary>
    private static async Task<IResult> RecordAsync(Guid id, HttpContext http, ContentPublisher publisher, CancellationToken ct)
    {
        var actor = ActorOf(http.User);
        if (actor is null)
        {
            return Problem(StatusCodes.Status401Unauthorized, "Sign-in required", "Recording content needs a signed-in person.");
        }

        var result = await publisher.RecordTestingAsync(id, actor, ct);
        return result.Problem is { } problem
            ? Problem(StatusFor(problem), TitleFor(problem.Kind), problem.Message, problem.Refusal)
            : Results.Ok(new { version = result.Version, warning = result.Warning });
    }

    private static async Task<IResult> ListAsync(Guid id, ContentQueries queries, CancellationToken ct)
    {
        var view = await queries.VersionsAsync(id, ct);
        return Results.Ok(new
        {
            testing = view.Testing?.Number,
            production = view.Production?.Number,
            approved = view.Approved?.Number,
            versions = view.Versions.Select(r => r.Version),
        });
    }

    private static async Task<IResult> ApprovalAsync(Guid id, ContentQueries queries, CancellationToken ct) =>
        Results.Ok(await queries.ApprovalAsync(id, ct));

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

    private static IResult Problem(int status, string title, string detail, ContentRefusalReason? reason = null) =>
        Results.Problem(detail: detail, statusCode: status, title: title,
            extensions: reason is null ? null : new Dictionary<string, object?> { ["reason"] = ToKebab(reason.Value.ToString()) });

    private static string ToKebab(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>
    /// The signed-in person as the workflow's actor, from the portal's session claims (<c>sub</c>, <c>name</c>,
    /// <c>portal_role</c>, <c>auth_time</c>); null when nobody is signed in.
    /// </summary>
    internal static Actor? ActorOf(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var id = user.FindFirst("sub")?.Value ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        var roles = user.FindAll("portal_role").Concat(user.FindAll(ClaimTypes.Role))
            .Select(c => Enum.TryParse<PortalRole>(c.Value, ignoreCase: true, out var role) ? role : (PortalRole?)null)
            .OfType<PortalRole>().ToHashSet();
        DateTimeOffset? authTime = long.TryParse(user.FindFirst("auth_time")?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
        return new Actor(id, user.FindFirst("name")?.Value ?? user.Identity.Name ?? id, roles, authTime);
    }
}
