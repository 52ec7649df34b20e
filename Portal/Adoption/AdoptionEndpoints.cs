using System.Text.Json;
using Portal.Api;
using Portal.Core.Identity;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Infrastructure.Adoption;
using Portal.Infrastructure.Requests;

namespace Portal.Adoption;

/// <summary>
/// Adopting an MTA-STS domain or a site on CloudFront and S3 served outside the portal, over the API (Admin role), with
/// the admin page's services. <c>kind</c> picks which (<c>mtasts</c>, the default, or <c>site</c>).
/// </summary>
public static class AdoptionEndpoints
{
    /// <param name="Kind"><c>mtasts</c> (the default) or <c>site</c>.</param>
    /// <param name="Domain">The mail domain, or the site's domain name (one of the distribution's aliases).</param>
    /// <param name="DistributionId">For a site: the CloudFront distribution serving it.</param>
    public sealed record ApiAdoptionBody(string? Domain, string? OwnerId, string? OwnerName, string? TeamId, string? HostedZoneId, string? HostedZoneName,
        string? Kind = null, string? DistributionId = null);

    public sealed record ApiSiteAdoption(Guid RequestId, string Kind, string Host, string DistributionId, string DistributionStatus, IReadOnlyList<string> Aliases,
        string Bucket, string OriginEndpoint, int ObjectCount, long TotalBytes, string? CertificateArn, string? NotFoundPage, bool SinglePageApplication,
        IReadOnlyList<string> Problems);

    public sealed record ApiAdoption(Guid RequestId, string Domain, string Mode, long MaxAge, IReadOnlyList<string> Mx, string? PolicyId, IReadOnlyList<string> TlsRptRua,
        IReadOnlyList<string> Problems);

    public static IServiceCollection AddPortalAdoption(this IServiceCollection services)
    {
        services.AddSingleton<AdoptionService>();
        services.AddSingleton<SiteAdoptionService>();
        return services;
    }

    public static RouteGroupBuilder MapAdoptionEndpoints(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        v1.MapPost("/adoptions", AdoptAsync).WithName("AdoptExisting").WithTags("Adoption")
            .RequireAuthorization(p => p.RequireRole(nameof(PortalRole.Admin)))
            .Accepts<ApiAdoptionBody>("application/json").Produces<ApiAdoption>(StatusCodes.Status201Created)
            .Produces<ApiSiteAdoption>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        return v1;
    }

    private static async Task<IResult> AdoptAsync(HttpContext context, AdoptionService adoption, SiteAdoptionService sites, CancellationToken ct)
    {
        ApiAdoptionBody? body;
        try
        {
            body = context.Request.ContentLength is 0 ? null : await JsonSerializer.DeserializeAsync<ApiAdoptionBody>(context.Request.Body, JsonSerializerOptions.Web, ct);
        }
        catch (JsonException)
        {
            body = null;
        }

        if (body is null)
        {
            return ApiProblems.Validation("$", "Send {\"domain\":\"example.com\",\"ownerId\":\"...\",\"ownerName\":\"...\",\"teamId\":null}.");
        }

        // The group's policy already required the Admin role; the service checks it again.
        var actor = ActorFactory.FromPrincipal(context.User) ?? Actor.Person("", "", null);
        switch (body.Kind?.Trim().ToLowerInvariant())
        {
            case null or "" or "mtasts":
                break;
            case "site":
                return await AdoptSiteAsync(context, sites, body, actor, ct);
            default:
                return ApiProblems.Validation("kind", "kind is mtasts (an MTA-STS domain, the default) or site (a site on CloudFront and S3).");
        }

        var result = await adoption.AdoptAsync(new AdoptMtaStsCommand(body.Domain ?? "", body.OwnerId ?? "", body.OwnerName ?? "", body.TeamId, body.HostedZoneId, body.HostedZoneName), actor, ct);
        if (!result.Succeeded)
        {
            return ApiProblems.Refusal(context, new RequestCommandResult(false, Guid.Empty, null, result.Code, result.Message, result.Errors));
        }

        var found = result.Preview!.Found!;
        return Results.Created($"/api/v1/requests/{result.RequestId}", new ApiAdoption(result.RequestId!.Value, found.Domain,
            Core.Templates.MtaStsPublication.ModeText(found.Mode), found.MaxAge, found.Mx, found.PolicyId, found.TlsRptRua, [.. found.Problems.Select(p => p.Message)]));
    }

    private static async Task<IResult> AdoptSiteAsync(HttpContext context, SiteAdoptionService sites, ApiAdoptionBody body, Actor actor, CancellationToken ct)
    {
        var result = await sites.AdoptAsync(new AdoptSiteCommand(body.Domain ?? "", body.DistributionId ?? "", body.OwnerId ?? "", body.OwnerName ?? "", body.TeamId,
            body.HostedZoneId, body.HostedZoneName), actor, ct);
        if (!result.Succeeded)
        {
            return ApiProblems.Refusal(context, new RequestCommandResult(false, Guid.Empty, null, result.Code, result.Message, result.Errors));
        }

        var found = result.Preview!.Found!;
        return Results.Created($"/api/v1/requests/{result.RequestId}", new ApiSiteAdoption(result.RequestId!.Value, "site", found.Host, found.DistributionId, found.Status,
            found.Aliases, found.Origin.Bucket, found.Origin.Endpoint == Core.Adoption.S3OriginEndpoint.Rest ? "rest" : "website", found.Inventory.Objects, found.Inventory.Bytes,
            found.CertificateArn, found.NotFoundPage, found.SinglePageApplication, found.Problems));
    }
}
