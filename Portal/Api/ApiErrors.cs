using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.WebUtilities;
using Portal.Core.Identity;
using Portal.Identity;

namespace Portal.Api;

/// <summary>
/// Every answer under <c>/api</c> that is an error is an RFC 9457 problem document, in every environment: exceptions,
/// and the bare statuses that the framework sets without a body (401/403 from authorization, 404 for an unknown route,
/// 405, 415, 400 from binding). Pages keep their own error page and not-found page.
/// </summary>
public static class ApiErrors
{
    public static bool IsApi(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Goes before routing and the page error handler: the pages' handler re-executes <c>/error</c>, a page that needs a
    /// session, so a script holding a bearer token would be sent to sign in instead of being told what failed.
    /// </summary>
    public static IApplicationBuilder UseApiErrors(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseWhen(IsApi, api => api.Use(ProblemsAsync));
    }

    /// <summary>
    /// Goes right after routing. Routing answers a wrong method or Content-Type, or an unknown path, with an endpoint of
    /// its own that carries no authorization rule, so the pages' fallback rule (a session cookie) would refuse every
    /// script with 401. Under <c>/api</c> those answers take the API's rule instead: 401 without a token, 403 without a
    /// role, and 404, 405 or 415 for a caller who may use the API.
    /// </summary>
    public static IApplicationBuilder UseApiRoutingRefusals(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var rule = new EndpointMetadataCollection(new AuthorizeAttribute(PortalPolicies.Api));
        var notFound = new Endpoint(
            context =>
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            },
            rule,
            "404 API route not found");
        return app.Use((context, next) =>
        {
            if (IsApi(context))
            {
                var endpoint = context.GetEndpoint();
                if (endpoint is null)
                {
                    context.SetEndpoint(notFound);
                }
                else if (endpoint is not RouteEndpoint)
                {
                    context.SetEndpoint(new Endpoint(endpoint.RequestDelegate, rule, endpoint.DisplayName));
                }
            }

            return next(context);
        });
    }

    private static async Task ProblemsAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var status = ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
            if (status >= StatusCodes.Status500InternalServerError)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Portal.Api.Errors")
                    .LogError(ex, "API request {Method} {Path} failed", context.Request.Method, context.Request.Path);
            }

            // Whatever the endpoint had set (an ETag, a Content-Type) belonged to an answer that was never given.
            context.Response.Clear();
            context.Response.StatusCode = status;
            await WriteAsync(context, status);
            return;
        }

        var response = context.Response;
        if (response.StatusCode is >= 400 and < 600 && !response.HasStarted && response.ContentLength is null && string.IsNullOrEmpty(response.ContentType))
        {
            await WriteAsync(context, response.StatusCode);
        }
    }

    private static Task WriteAsync(HttpContext context, int status)
    {
        var (code, detail) = Describe(context, status);
        return Results.Problem(
                detail: detail,
                statusCode: status,
                title: ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error",
                extensions: new Dictionary<string, object?> { ["code"] = code })
            .ExecuteAsync(context);
    }

    private static (string Code, string Detail) Describe(HttpContext context, int status) => status switch
    {
        StatusCodes.Status400BadRequest => ("invalid", "The request could not be read: check the path, the query and the body."),
        StatusCodes.Status401Unauthorized => ("unauthorized", "Send a bearer token from the portal's identity provider (Authorization: Bearer ...)."),
        StatusCodes.Status403Forbidden when ActorFactory.IsServiceAccount(context.User) =>
            ("role-required", "A service account holds the Requester role only: it may create, submit and withdraw requests and upload content, never approve, reject or decommission."),
        StatusCodes.Status403Forbidden when context.User.Identity?.IsAuthenticated == true && !ActorFactory.HasMfa(context.User) =>
            ("mfa-required", "The token's sign-in did not use multi-factor authentication; the portal requires it."),
        StatusCodes.Status403Forbidden => ("role-required", "This needs a portal role that the token does not carry (Requester, Approver or Admin, as the operation requires)."),
        StatusCodes.Status404NotFound => ("not-found", "There is nothing at this path; the API's paths are listed in /api/v1/openapi.json."),
        StatusCodes.Status405MethodNotAllowed => ("method-not-allowed", "This path does not take that HTTP method."),
        StatusCodes.Status413PayloadTooLarge => ("too-large", "The body is too large."),
        StatusCodes.Status415UnsupportedMediaType => ("unsupported-media-type", "The body's Content-Type is not one this operation reads; see /api/v1/openapi.json."),
        StatusCodes.Status429TooManyRequests => ("too-many-requests", "Too many requests; wait and try again."),
        >= 500 => ("server-error", "The portal failed to answer; the error is logged with this trace id."),
        _ => ("error", "The request was refused."),
    };
}
