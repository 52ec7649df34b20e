using Microsoft.AspNetCore.Http.HttpResults;
using System.Globalization;
using Microsoft.Extensions.Options;
using Portal.Core.Approvals;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Workflow;

namespace Portal.Api;

/// <summary>
/// Refusals and bad input as RFC 9457 problem details. Each carries a <c>code</c> (the refusal, kebab-case) so scripts
/// can branch without reading the wording; a stale sign-in is a 401 with the RFC 9470 step-up challenge.
/// </summary>
public static class ApiProblems
{
    public static IResult Refusal(HttpContext context, RequestCommandResult result)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(result);
        var code = result.Code ?? RefusalCode.Invalid;
        if (code == RefusalCode.Invalid)
        {
            // A spec that does not fit the request (another name or kind) is about the body as a whole.
            return Validation(result.Errors.Count > 0 ? result.Errors : [new FieldError("$", result.Message ?? "The request has errors.")], result.Message);
        }

        if (code is RefusalCode.ReasonRequired or RefusalCode.ReasonInvalid)
        {
            return Validation([new FieldError("reason", result.Message ?? "A reason is needed.")], result.Message);
        }

        if (code == RefusalCode.StepUpRequired)
        {
            var maxAge = (int)context.RequestServices.GetRequiredService<IOptions<ApprovalOptions>>().Value.MaxAuthAge.TotalSeconds;
            context.Response.Headers.WWWAuthenticate =
                $"Bearer error=\"insufficient_user_authentication\", error_description=\"A more recent sign-in is required\", max_age={maxAge.ToString(CultureInfo.InvariantCulture)}";
        }

        var status = code switch
        {
            RefusalCode.RoleRequired or RefusalCode.NotOwner or RefusalCode.SeparationOfDuties or RefusalCode.PersonRequired => StatusCodes.Status403Forbidden,
            RefusalCode.StepUpRequired => StatusCodes.Status401Unauthorized,
            RefusalCode.NotAllowedInState or RefusalCode.ConditionNotMet or RefusalCode.Conflict => StatusCodes.Status409Conflict,
            RefusalCode.NotFound => StatusCodes.Status404NotFound,
            _ => StatusCodes.Status400BadRequest,
        };
        return Problem(status, Title(code), result.Message, code);
    }

    public static IResult Validation(IEnumerable<FieldError> errors, string? detail = null) =>
        TypedResults.ValidationProblem(
            errors.GroupBy(e => e.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal),
            detail: detail ?? "The request has errors; see each field.",
            title: "The request has errors",
            extensions: new Dictionary<string, object?> { ["code"] = Code(RefusalCode.Invalid) });

    public static IResult Validation(string field, string message) => Validation([new FieldError(field, message)], message);

    public static IResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, Title(RefusalCode.NotFound), detail, RefusalCode.NotFound);

    private static ProblemHttpResult Problem(int status, string title, string? detail, RefusalCode code) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: new Dictionary<string, object?> { ["code"] = Code(code) });

    public static string Code(RefusalCode code) => code switch
    {
        RefusalCode.NotAllowedInState => "not-allowed-in-state",
        RefusalCode.RoleRequired => "role-required",
        RefusalCode.NotOwner => "not-owner",
        RefusalCode.SeparationOfDuties => "separation-of-duties",
        RefusalCode.StepUpRequired => "step-up-required",
        RefusalCode.ReasonRequired => "reason-required",
        RefusalCode.ConditionNotMet => "condition-not-met",
        RefusalCode.Invalid => "invalid",
        RefusalCode.NotFound => "not-found",
        RefusalCode.Conflict => "conflict",
        RefusalCode.ReasonInvalid => "invalid",
        RefusalCode.PersonRequired => "person-required",
        _ => code.ToString(),
    };

    private static string Title(RefusalCode code) => code switch
    {
        RefusalCode.NotAllowedInState => "Not possible in the request's current state",
        RefusalCode.RoleRequired => "Your role does not allow this",
        RefusalCode.NotOwner => "Only the request's owner or an admin may do this",
        RefusalCode.SeparationOfDuties => "A different person must decide",
        RefusalCode.PersonRequired => "Only a person can decide this",
        RefusalCode.StepUpRequired => "A more recent sign-in is required",
        RefusalCode.ConditionNotMet => "Not possible for this request",
        RefusalCode.NotFound => "Not found",
        RefusalCode.Conflict => "The request changed meanwhile",
        _ => "The request has errors",
    };
}
