using Portal.Api;
using Portal.Core.Accounts;
using Portal.Core.Identity;
using Portal.Core.Workflow;

namespace Portal.Accounts;

/// <summary>The AWS accounts the portal deploys into, for admins' automation: the same rules and audit as the Accounts page.</summary>
public static class TargetAccountEndpoints
{
    /// <summary>An account as the API shows it (to admins only).</summary>
    public sealed record ApiTargetAccount(string Name, string AccountId, string Region, string RoleArn, string ExternalId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string UpdatedBy)
    {
        public static ApiTargetAccount Of(TargetAccount a)
        {
            ArgumentNullException.ThrowIfNull(a);
            return new(a.Name, a.AccountId, a.Region, a.RoleArn, a.ExternalId, a.CreatedAt, a.UpdatedAt, a.UpdatedBy);
        }
    }

    /// <summary>What a client sends to register or change an account (the name comes from the path on a change).</summary>
    public sealed record ApiTargetAccountBody(string? Name, string? AccountId, string? Region, string? RoleArn, string? ExternalId)
    {
        public TargetAccountInput ToInput(string? name = null) => new(name ?? Name ?? "", AccountId ?? "", Region ?? "", RoleArn ?? "", ExternalId ?? "");
    }

    /// <summary>
    /// On the bearer-only API v1 group: <c>GET /accounts</c>, <c>POST /accounts</c>, <c>PUT /accounts/{name}</c> and
    /// <c>DELETE /accounts/{name}</c>, each for the Admin role only.
    /// </summary>
    public static RouteGroupBuilder MapTargetAccountEndpoints(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var accounts = v1.MapGroup("/accounts").WithTags("Accounts").RequireAuthorization(p => p.RequireRole(nameof(PortalRole.Admin)));
        accounts.MapGet("", ListAsync).WithName("ListAccounts").Produces<IReadOnlyList<ApiTargetAccount>>();
        accounts.MapPost("", AddAsync).WithName("RegisterAccount").Produces<ApiTargetAccount>(StatusCodes.Status201Created).ProducesValidationProblem();
        accounts.MapPut("/{name}", UpdateAsync).WithName("ChangeAccount").Produces<ApiTargetAccount>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        accounts.MapDelete("/{name}", RemoveAsync).WithName("RemoveAccount").Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return v1;
    }

    private static async Task<IResult> ListAsync(TargetAccountAdministration admin, CancellationToken ct) =>
        Results.Ok((await admin.ListAsync(ct)).Select(ApiTargetAccount.Of).ToList());

    private static async Task<IResult> AddAsync(HttpContext context, ApiTargetAccountBody body, TargetAccountAdministration admin, CancellationToken ct)
    {
        if (ActorFactory.FromPrincipal(context.User) is not { } actor)
        {
            return Results.Unauthorized();
        }

        var result = await admin.AddAsync(body.ToInput(), actor, ct);
        return result.Succeeded
            ? Results.Created($"/api/v1/accounts/{result.Account!.Name}", ApiTargetAccount.Of(result.Account))
            : Refusal(result);
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, string name, ApiTargetAccountBody body, TargetAccountAdministration admin, CancellationToken ct)
    {
        if (ActorFactory.FromPrincipal(context.User) is not { } actor)
        {
            return Results.Unauthorized();
        }

        var result = await admin.UpdateAsync(name, body.ToInput(name), actor, ct);
        return result.Succeeded ? Results.Ok(ApiTargetAccount.Of(result.Account!)) : Refusal(result);
    }

    private static async Task<IResult> RemoveAsync(HttpContext context, string name, TargetAccountAdministration admin, CancellationToken ct)
    {
        if (ActorFactory.FromPrincipal(context.User) is not { } actor)
        {
            return Results.Unauthorized();
        }

        var result = await admin.RemoveAsync(name, actor, ct);
        if (result.Succeeded)
        {
            return Results.NoContent();
        }

        return result.NotFound || result.Forbidden
            ? Refusal(result)
            : Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The account is in use", detail: result.Errors[0].Message);
    }

    private static IResult Refusal(Infrastructure.Accounts.TargetAccountResult result) =>
        result.Forbidden ? Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: result.Errors[0].Message)
        : result.NotFound ? ApiProblems.NotFound(result.Errors[0].Message)
        : ApiProblems.Validation(result.Errors, result.Errors[0].Message);
}
