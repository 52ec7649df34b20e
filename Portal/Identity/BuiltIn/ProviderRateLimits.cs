using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Portal.Identity.BuiltIn;

/// <summary>
/// Limits on the provider's endpoints that take guesses: the token endpoint (client secrets, device codes, refresh
/// tokens) and device authorization per client id and address, the device verification page (user codes) per address.
/// OpenIddict answers these paths inside the authentication middleware, before any endpoint, so the limit is the rate
/// limiter's global one; every other path passes through it unlimited.
/// </summary>
public static class ProviderRateLimits
{
    public const string TokenPath = "/connect/token";
    public const string DeviceAuthorizationPath = "/connect/device";

    internal static RateLimitPartition<string> Partition(HttpContext context)
    {
        var path = context.Request.Path;
        var limited = path.Equals(TokenPath, StringComparison.OrdinalIgnoreCase) || path.Equals(DeviceAuthorizationPath, StringComparison.OrdinalIgnoreCase)
            ? "token"
            : path.Equals(DeviceVerificationEndpoint.Path, StringComparison.OrdinalIgnoreCase) ? "verify" : null;
        if (limited is null)
        {
            return RateLimitPartition.GetNoLimiter("");
        }

        var settings = context.RequestServices.GetRequiredService<IOptions<BuiltInIdentityOptions>>().Value;
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (limited == "verify")
        {
            return RateLimitPartition.GetFixedWindowLimiter($"verify|{address}", _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = settings.VerificationPermitLimit,
                Window = settings.VerificationWindow,
                QueueLimit = 0,
            });
        }

        var clientId = ClientId(context.Request);
        var portalSignIn = string.Equals(clientId, BuiltInClient.ClientId, StringComparison.Ordinal)
            && string.Equals(ReadForm(context.Request)?[Parameters.GrantType].ToString(), GrantTypes.AuthorizationCode, StringComparison.Ordinal);
        return RateLimitPartition.GetFixedWindowLimiter($"token|{clientId}|{(portalSignIn ? "sign-in" : "")}|{address}", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = portalSignIn ? settings.PortalSignInTokenPermitLimit : settings.TokenPermitLimit,
            Window = settings.TokenWindow,
            QueueLimit = 0,
        });
    }

    /// <summary>
    /// The answer over the limit: <c>429</c> with <c>Retry-After</c>; an OAuth error document on the token and device
    /// endpoints (<c>slow_down</c> to a terminal polling for its device code, RFC 8628), plain text on the pages.
    /// </summary>
    internal static async ValueTask RejectedAsync(OnRejectedContext context, CancellationToken ct)
    {
        var response = context.HttpContext.Response;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? (int)Math.Ceiling(retry.TotalSeconds) : (int?)null;
        if (seconds is { } s)
        {
            response.Headers.RetryAfter = s.ToString(CultureInfo.InvariantCulture);
        }

        var request = context.HttpContext.Request;
        if (request.Path.Equals(TokenPath, StringComparison.OrdinalIgnoreCase) || request.Path.Equals(DeviceAuthorizationPath, StringComparison.OrdinalIgnoreCase))
        {
            var polling = string.Equals(ReadForm(request)?[Parameters.GrantType].ToString(), GrantTypes.DeviceCode, StringComparison.Ordinal);
            response.ContentType = "application/json; charset=utf-8";
            await response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string>
            {
                [Parameters.Error] = polling ? Errors.SlowDown : Errors.TemporarilyUnavailable,
                [Parameters.ErrorDescription] = $"Too many requests from this client and address; try again in {seconds ?? 60} seconds.",
            }), ct);
            return;
        }

        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(request.Path.StartsWithSegments("/tlsrpt") ? "Too many reports from this address. Try again later."
            : request.Path.Equals(DeviceVerificationEndpoint.Path, StringComparison.OrdinalIgnoreCase)
            ? "Too many attempts from this address. Wait a minute and try again."
            : "Too many sign-in attempts from this address. Wait a minute and try again.", ct);
    }

    /// <summary>
    /// Reads the form of a POST to the token or device endpoint before the rate limiter runs, so the limit can be per
    /// client id (the form is kept for OpenIddict, which reads it again).
    /// </summary>
    public static IApplicationBuilder UseProviderRateLimitKeys(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (HttpMethods.IsPost(request.Method) && request.HasFormContentType
            && (request.Path.Equals(TokenPath, StringComparison.OrdinalIgnoreCase) || request.Path.Equals(DeviceAuthorizationPath, StringComparison.OrdinalIgnoreCase)))
        {
            try
            {
                await request.ReadFormAsync(context.RequestAborted);
            }
            catch (InvalidDataException)
            {
                // A malformed or oversized form: OpenIddict answers it as the invalid request it is.
            }
        }

        await next(context);
    });

    /// <summary>The form if <see cref="UseProviderRateLimitKeys"/> read it; never reads it here, where only synchronous reads could.</summary>
    private static IFormCollection? ReadForm(HttpRequest request) => request.HttpContext.Features.Get<IFormFeature>()?.Form;

    /// <summary>The client id in the form (already read) or in HTTP Basic credentials; empty when there is none.</summary>
    private static string ClientId(HttpRequest request)
    {
        if (ReadForm(request) is { } form && form.TryGetValue(Parameters.ClientId, out var fromForm) && fromForm.Count > 0)
        {
            return fromForm.ToString();
        }

        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            && string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) && header.Parameter is { } parameter)
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
                return Uri.UnescapeDataString(decoded.Split(':', 2)[0]);
            }
            catch (FormatException)
            {
                return "";
            }
        }

        return "";
    }
}
