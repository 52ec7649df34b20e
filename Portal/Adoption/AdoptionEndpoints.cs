using System.Text.Json;
using Portal.Api;
using Portal.Core.Identity;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Infrastructure.Adoption;
using Portal.Infrastructure.Requests;

namespace Portal.Adoption;

/// <summary>Adopting an MTA-STS domain served outside the portal, over the API (Admin role), with the admin page's service.</summary>
public static class AdoptionEndpoints
{
    public sealed record ApiAdoptionBody(string? Domain, string? OwnerId, string? OwnerName, string? TeamId, string? HostedZoneId, string? HostedZoneName);

    public sealed record ApiAdoption(Guid RequestId, string Domain, string Mode, long MaxAge, IReadOnlyList<string> Mx, string? PolicyId, IReadOnlyList<string> TlsRptRua,
        IReadOnlyList<string> Problems);

    public static IServiceCollection AddPortalAdoption(this IServiceCollection services)
    {
        services.AddSingleton<AdoptionService>();
        return services;
    }

    public static RouteGroupBuilder MapAdoptionEndpoints(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        v1.MapPost("/adoptions", AdoptAsync).WithName("AdoptMtaStsDomain").WithTags("Adoption")
            .RequireAuthorization(p => p.RequireRole(nameof(PortalRole.Admin)))
            .Accepts<ApiAdoptionBody>("application/json").Produces<ApiAdoption>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        return v1;
    }

    private static async Task<IResult> AdoptAsync(HttpContext context, AdoptionService adoption, CancellationToken ct)
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
        var result = await adoption.AdoptAsync(new AdoptMtaStsCommand(body.Domain ?? "", body.OwnerId ?? "", body.OwnerName ?? "", body.TeamId, body.HostedZoneId, body.HostedZoneName), actor, ct);
        if (!result.Succeeded)
        {
            return ApiProblems.Refusal(context, new RequestCommandResult(false, Guid.Empty, null, result.Code, result.Message, result.Errors));
        }

        var found = result.Preview!.Found!;
        return Results.Created($"/api/v1/requests/{result.RequestId}", new ApiAdoption(result.RequestId!.Value, found.Domain,
            Core.Templates.MtaStsPublication.ModeText(found.Mode), found.MaxAge, found.Mx, found.PolicyId, found.TlsRptRua, [.. found.Problems.Select(p => p.Message)]));
    }
}
