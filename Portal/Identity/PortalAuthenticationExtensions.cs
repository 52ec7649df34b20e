using Portal.Identity.Settings;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Portal.Core.Identity;
using Portal.Identity.BuiltIn;

namespace Portal.Identity;

/// <summary>
/// Sign-in for the portal. One path for every provider: a session cookie filled by the OpenID Connect handler
/// (authorization code with PKCE), whose tokens are reshaped by the same <see cref="SignInRules"/> (MFA, roles,
/// authentication time). Only where the handler's settings come from differs: Microsoft.Identity.Web for Entra ID,
/// the <c>Authentication</c> section for any other provider, and the portal itself for the built-in provider.
/// </summary>
public static class PortalAuthenticationExtensions
{
    public static WebApplicationBuilder AddPortalAuthentication(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var configuration = builder.Configuration;
        var entra = !string.IsNullOrWhiteSpace(configuration["AzureAd:ClientId"]);

        services.AddOptions<PortalAuthenticationOptions>()
            .BindConfiguration(PortalAuthenticationOptions.SectionName)
            .PostConfigure(o => o.EntraConfigured = entra)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<PortalOrigin>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<PortalAuthenticationOptions>>().Value.CreateRules());
        services.AddHttpContextAccessor();
        services.AddScoped<CurrentActor>();
        services.AddCascadingAuthenticationState();
        services.AddSignInRateLimit();

        var authentication = services.AddAuthentication(o =>
        {
            o.DefaultScheme = PortalSchemes.Session;
            o.DefaultChallengeScheme = PortalSchemes.Session;
            o.DefaultSignInScheme = PortalSchemes.Session;
        });
        if (entra)
        {
            authentication.AddMicrosoftIdentityWebApp(configuration.GetSection("AzureAd"), PortalSchemes.OpenIdConnect, PortalSchemes.Session);
        }
        else
        {
            authentication.AddCookie(PortalSchemes.Session).AddOpenIdConnect(PortalSchemes.OpenIdConnect, _ => { });
        }

        authentication.AddJwtBearer(PortalSchemes.Bearer, _ => { });

        // The built-in provider's services are always there (its users live in the portal's database); its endpoints and
        // pages answer only while it is the provider, which configuration decides when the portal starts.
        builder.AddBuiltInIdentityProvider();
        services.AddRazorPages();

        // Registered after the handlers (and after Microsoft.Identity.Web's own setup) so these settings win and its events are kept.
        services.AddOptions<CookieAuthenticationOptions>(PortalSchemes.Session).Configure<IOptions<PortalAuthenticationOptions>>(ConfigureSession);
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddOptions<OpenIdConnectOptions>(PortalSchemes.OpenIdConnect).Configure<IServiceProvider>((o, sp) => ConfigureOpenIdConnect(o, sp, Mode(sp)));
        services.AddOptions<JwtBearerOptions>(PortalSchemes.Bearer).Configure<IServiceProvider>((o, sp) => ConfigureBearer(o, sp, Mode(sp)));

        // Both cookies (the portal's session and the built-in provider's) only name a row in the database: signing out,
        // or an admin disabling someone, ends the session for every copy of the cookie on every replica.
        services.AddServerSideSessions(PortalSchemes.Session, IdentityConstants.ApplicationScheme);

        services.AddAuthorizationBuilder()
            .AddPolicy(PortalPolicies.SignedIn, p => p.AddAuthenticationSchemes(PortalSchemes.Session).RequireAuthenticatedUser())
            .AddPolicy(PortalPolicies.SignedInWithMfa, MfaPolicy)
            .AddPolicy(PortalPolicies.AnyRole, p => MfaPolicy(p.RequireRole(Enum.GetNames<Core.Workflow.PortalRole>())))
            .AddPolicy(PortalPolicies.Requester, p => MfaPolicy(p.RequireRole(nameof(Core.Workflow.PortalRole.Requester))))
            .AddPolicy(PortalPolicies.Approver, p => MfaPolicy(p.RequireRole(nameof(Core.Workflow.PortalRole.Approver))))
            .AddPolicy(PortalPolicies.Admin, p => MfaPolicy(p.RequireRole(nameof(Core.Workflow.PortalRole.Admin))))
            // People need MFA; a service account is no person (its secret is the one factor) and carries the Requester role only.
            .AddPolicy(PortalPolicies.Api, p => p.AddAuthenticationSchemes(PortalSchemes.Bearer).RequireAuthenticatedUser()
                .RequireAssertion(c => ActorFactory.HasMfa(c.User) || ActorFactory.IsServiceAccount(c.User))
                .RequireRole(Enum.GetNames<Core.Workflow.PortalRole>()))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(PortalSchemes.Session)
                .RequireAuthenticatedUser()
                .RequireClaim(PortalClaimTypes.Mfa, "true")
                .RequireRole(Enum.GetNames<Core.Workflow.PortalRole>())
                .Build());
        return builder;
    }

    private static IdentityProviderMode Mode(IServiceProvider services) =>
        services.GetRequiredService<IOptions<PortalAuthenticationOptions>>().Value.Mode;

    private static void MfaPolicy(AuthorizationPolicyBuilder policy) =>
        policy.AddAuthenticationSchemes(PortalSchemes.Session).RequireAuthenticatedUser().RequireClaim(PortalClaimTypes.Mfa, "true");

    private static void ConfigureSession(CookieAuthenticationOptions o, IOptions<PortalAuthenticationOptions> settings)
    {
        o.Cookie.Name = ".portal.session";
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Lax;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.ExpireTimeSpan = settings.Value.SessionLifetime;
        o.SlidingExpiration = false;
        o.LoginPath = "/account/signin";
        o.AccessDeniedPath = "/account/access-denied";
        o.ReturnUrlParameter = "returnUrl";
        o.Events.OnRedirectToLogin = context =>
        {
            if (IsMachineRequest(context.Request))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            }

            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        };
        o.Events.OnValidatePrincipal = async context =>
        {
            // With the built-in provider a disabled (or deleted) user loses the portal session at their next request.
            if (settings.Value.Mode != IdentityProviderMode.BuiltIn || context.Principal?.FindFirst(PortalClaimTypes.Subject)?.Value is not { } subject)
            {
                return;
            }

            var users = context.HttpContext.RequestServices.GetRequiredService<UserManager<PortalUser>>();
            if (await users.FindByIdAsync(subject) is not { DisabledAt: null })
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(PortalSchemes.Session);
            }
        };
        o.Events.OnRedirectToAccessDenied = context =>
        {
            if (IsMachineRequest(context.Request))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            }

            // A person whose sign-in lacked MFA is told exactly that, whatever they asked for.
            context.Response.Redirect(ActorFactory.HasMfa(context.HttpContext.User) ? context.RedirectUri : "/account/mfa-required");
            return Task.CompletedTask;
        };
    }

    /// <summary>Blazor's hub and the API answer 401/403 instead of redirecting to a page.</summary>
    private static bool IsMachineRequest(HttpRequest request) =>
        request.Path.StartsWithSegments("/_blazor", StringComparison.OrdinalIgnoreCase)
        || request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    private static void ConfigureOpenIdConnect(OpenIdConnectOptions o, IServiceProvider services, IdentityProviderMode mode)
    {
        var settings = services.GetRequiredService<IOptions<PortalAuthenticationOptions>>().Value;
        switch (mode)
        {
            case IdentityProviderMode.Generic:
                o.Authority = settings.Authority;
                o.ClientId = settings.ClientId;
                o.ClientSecret = settings.ClientSecret;
                o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
                o.GetClaimsFromUserInfoEndpoint = settings.GetClaimsFromUserInfoEndpoint;
                o.ResponseMode = settings.ResponseMode ?? OpenIdConnectResponseMode.FormPost;
                AddScopes(o, settings.Scopes);
                break;
            case IdentityProviderMode.BuiltIn:
                var origin = services.GetRequiredService<PortalOrigin>().Primary;
                o.Authority = origin.ToString();
                o.ClientId = BuiltInClient.ClientId;
                o.RequireHttpsMetadata = origin.Scheme == Uri.UriSchemeHttps;
                o.ResponseMode = settings.ResponseMode ?? OpenIdConnectResponseMode.Query;
                AddScopes(o, ["profile", "email", "roles"]);
                break;
            case IdentityProviderMode.Entra:
                // Microsoft.Identity.Web has filled in the AzureAd section; keep the portal's common rules on top.
                o.ResponseMode = settings.ResponseMode ?? o.ResponseMode;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, null);
        }

        o.SignInScheme = PortalSchemes.Session;
        o.ResponseType = OpenIdConnectResponseType.Code;
        o.UsePkce = true;
        o.SaveTokens = true;
        o.MapInboundClaims = false;

        // The handler drops acr and iss by default; the MFA rule may need acr, and the session records the issuer.
        o.ClaimActions.Remove(PortalClaimTypes.Acr);
        o.ClaimActions.Remove("iss");
        o.TokenValidationParameters.NameClaimType = PortalClaimTypes.Name;
        o.TokenValidationParameters.RoleClaimType = PortalClaimTypes.Role;
        o.SignedOutRedirectUri = "/account/signed-out";
        if (o.Authority is { } authority && authority.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            // Plain-http providers only exist on loopback (tests, development): there SameSite=None cookies would be dropped.
            o.CorrelationCookie.SameSite = SameSiteMode.Lax;
            o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.NonceCookie.SameSite = SameSiteMode.Lax;
            o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        }

        var events = o.Events ?? new OpenIdConnectEvents();
        var redirect = events.OnRedirectToIdentityProvider;
        events.OnRedirectToIdentityProvider = async context =>
        {
            await redirect(context);

            // Whoever started the challenge, the address the person comes back to obeys the one redirect rule.
            context.Properties.RedirectUri = LocalRedirectTarget.OrRoot(context.Properties.RedirectUri);
            if (context.Properties.Items.ContainsKey(PortalSchemes.StepUpItem))
            {
                context.ProtocolMessage.Prompt = OpenIdConnectPrompt.Login;
                context.ProtocolMessage.MaxAge = "0";
            }

            if (!string.IsNullOrWhiteSpace(settings.RequestAcrValues))
            {
                context.ProtocolMessage.AcrValues = settings.RequestAcrValues;
            }

            if (mode == IdentityProviderMode.Entra && settings.MfaAcrValues.Count > 0)
            {
                // Entra applies a Conditional Access authentication context only when the claims request names it.
                context.ProtocolMessage.SetParameter("claims", EntraAuthenticationContextRequest(settings.MfaAcrValues));
            }
        };
        var ticket = events.OnTicketReceived;
        events.OnTicketReceived = async context =>
        {
            await ticket(context);
            if (context.Principal is null || context.Result is not null)
            {
                return;
            }

            var rules = context.HttpContext.RequestServices.GetRequiredService<SignInRules>();
            var clock = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
            var stepUp = context.Properties!.Items.ContainsKey(PortalSchemes.StepUpItem);
            DateTimeOffset? fresh = stepUp ? clock.GetUtcNow() : null;
            context.Principal = new ClaimsPrincipal(rules.CreateSessionIdentity(context.Principal.Claims, PortalSchemes.Session, fresh));

            // The state is protected, but the rule is checked again here: a bad address must never reach the Location header.
            context.ReturnUri = LocalRedirectTarget.OrRoot(context.ReturnUri);

            // Only the id token is kept (for the provider's sign-out); access and refresh tokens would only bloat the session.
            var idToken = context.Properties.GetTokenValue("id_token");
            context.Properties.StoreTokens(idToken is null ? [] : [new AuthenticationToken { Name = "id_token", Value = idToken }]);
            context.Properties.IsPersistent = false;
            await RecordSignInAsync(context.HttpContext, context.Principal, stepUp);
            await RememberForNotificationsAsync(context.HttpContext, context.Principal);
        };
        var signedOutCallback = events.OnSignedOutCallbackRedirect;
        events.OnSignedOutCallbackRedirect = async context =>
        {
            await signedOutCallback(context);
            if (context.Properties is { } properties)
            {
                properties.RedirectUri = LocalRedirectTarget.OrRoot(properties.RedirectUri);
            }
        };
        var failure = events.OnRemoteFailure;
        events.OnRemoteFailure = async context =>
        {
            await failure(context);
            if (context.Result is not null)
            {
                return;
            }

            // An expected outcome (cancelled, expired, replayed callback): one line saying why, no stack trace.
            var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Portal.Identity.SignIn");
            logger.LogWarning("Sign-in at the identity provider failed: {Reason}", context.Failure?.Message);
            context.Response.Redirect("/account/sign-in-failed");
            context.HandleResponse();
        };
        if (mode == IdentityProviderMode.BuiltIn)
        {
            // The secret lives in the database: read it when a code is redeemed, not whenever the handler is set up.
            var codeReceived = events.OnAuthorizationCodeReceived;
            events.OnAuthorizationCodeReceived = async context =>
            {
                await codeReceived(context);
                context.TokenEndpointRequest!.ClientSecret = context.HttpContext.RequestServices.GetRequiredService<IdentityKeyRing>().ClientSecret();
            };
        }

        var signOut = events.OnRedirectToIdentityProviderForSignOut;
        events.OnRedirectToIdentityProviderForSignOut = async context =>
        {
            await signOut(context);
            if (string.IsNullOrEmpty(context.ProtocolMessage.IssuerAddress))
            {
                // The provider offers no end-session endpoint: the portal session is gone, say so.
                context.Response.Redirect("/account/signed-out");
                context.HandleResponse();
            }
        };
        o.Events = events;
    }

    /// <summary>
    /// The sign-in as an audit entry: a session that lacks MFA or any portal role is a refused sign-in (the person only
    /// sees the page explaining why), anything else a sign-in, or a completed step-up.
    /// </summary>
    /// <summary>Notifications reach a person at the address and with the roles of their latest sign-in.</summary>
    private static async Task RememberForNotificationsAsync(HttpContext context, ClaimsPrincipal session)
    {
        if (ActorFactory.HasMfa(session) && ActorFactory.FromPrincipal(session) is { Roles.Count: > 0 } actor
            && context.RequestServices.GetService<Portal.Infrastructure.Notifications.NotificationPeople>() is { } people)
        {
            await people.SeenAsync(actor, session.FindFirst(PortalClaimTypes.Email)?.Value, context.RequestAborted);
        }
    }

    private static Task RecordSignInAsync(HttpContext context, ClaimsPrincipal session, bool stepUp)
    {
        var audit = context.RequestServices.GetRequiredService<SecurityAudit>();
        var actor = ActorFactory.FromPrincipal(session);
        var subject = session.FindFirst(PortalClaimTypes.Subject)?.Value;
        var name = actor?.DisplayName ?? session.Identity?.Name;
        if (!ActorFactory.HasMfa(session))
        {
            return audit.RecordAsync(SecurityEventKind.SignInRefused, subject, name, "the provider reported no multi-factor authentication");
        }

        if (actor is null || actor.Roles.Count == 0)
        {
            return audit.RecordAsync(SecurityEventKind.SignInRefused, subject, name, "no portal role");
        }

        var roles = string.Join(", ", actor.Roles.Order());
        return audit.RecordAsync(stepUp ? SecurityEventKind.StepUpCompleted : SecurityEventKind.SignedIn, subject, name, roles);
    }

    /// <summary>The OIDC claims request for Entra's <c>acrs</c> claim, e.g. {"id_token":{"acrs":{"essential":true,"values":["c1"]}}}.</summary>
    public static string EntraAuthenticationContextRequest(IEnumerable<string> contexts) =>
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id_token"] = new Dictionary<string, object>
            {
                ["acrs"] = new Dictionary<string, object> { ["essential"] = true, ["values"] = contexts.ToArray() },
            },
        });

    private static void AddScopes(OpenIdConnectOptions o, IEnumerable<string> scopes)
    {
        o.Scope.Clear();
        o.Scope.Add("openid");
        foreach (var scope in scopes.Where(s => !string.IsNullOrWhiteSpace(s)))
        {
            o.Scope.Add(scope);
        }
    }

    private static void ConfigureBearer(JwtBearerOptions o, IServiceProvider services, IdentityProviderMode mode)
    {
        var settings = services.GetRequiredService<IOptions<PortalAuthenticationOptions>>().Value;
        var configuration = services.GetRequiredService<IConfiguration>();
        switch (mode)
        {
            case IdentityProviderMode.Generic:
                o.Authority = settings.Authority;
                o.Audience = settings.ApiAudience ?? settings.ClientId;
                o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
                break;
            case IdentityProviderMode.BuiltIn:
                var origin = services.GetRequiredService<PortalOrigin>().Primary;
                o.Authority = origin.ToString();
                o.Audience = settings.ApiAudience ?? BuiltInClient.ApiAudience;
                o.RequireHttpsMetadata = origin.Scheme == Uri.UriSchemeHttps;
                break;
            case IdentityProviderMode.Entra:
                var instance = (configuration["AzureAd:Instance"] ?? "https://login.microsoftonline.com/").TrimEnd('/');
                o.Authority = $"{instance}/{configuration["AzureAd:TenantId"]}/v2.0";
                o.Audience = settings.ApiAudience ?? configuration["AzureAd:ClientId"];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, null);
        }

        o.MapInboundClaims = false;
        o.TokenValidationParameters.NameClaimType = PortalClaimTypes.Name;
        o.TokenValidationParameters.RoleClaimType = PortalClaimTypes.Role;
        o.Events = new JwtBearerEvents
        {
            OnTokenValidated = async context =>
            {
                // A token of the built-in provider counts only while its entry is valid: sign-out and admin changes revoke it.
                if (mode == IdentityProviderMode.BuiltIn && OpenIddict.Abstractions.OpenIddictExtensions.GetTokenId(context.Principal!) is { Length: > 0 } tokenId)
                {
                    var tokens = context.HttpContext.RequestServices.GetRequiredService<OpenIddict.Abstractions.IOpenIddictTokenManager>();
                    var entry = await tokens.FindByIdAsync(tokenId, context.HttpContext.RequestAborted);
                    if (entry is null || !await tokens.HasStatusAsync(entry, OpenIddict.Abstractions.OpenIddictConstants.Statuses.Valid, context.HttpContext.RequestAborted))
                    {
                        context.Fail("The access token was revoked.");
                        return;
                    }
                }

                var rules = context.HttpContext.RequestServices.GetRequiredService<SignInRules>();
                var identity = rules.CreateSessionIdentity(context.Principal!.Claims, PortalSchemes.Bearer, null);

                // A service account's token (only the built-in provider issues them): no person, so no MFA and no
                // sign-in time, and never more than the Requester role, whatever the token says.
                if (mode == IdentityProviderMode.BuiltIn && context.Principal.HasClaim(PortalClaimTypes.ServiceAccount, "true"))
                {
                    foreach (var claim in identity.FindAll(c => c.Type is PortalClaimTypes.Role or PortalClaimTypes.Mfa or PortalClaimTypes.AuthTime
                        && !(c.Type == PortalClaimTypes.Role && c.Value == nameof(Core.Workflow.PortalRole.Requester))).ToList())
                    {
                        identity.RemoveClaim(claim);
                    }

                    identity.AddClaim(new Claim(PortalClaimTypes.ServiceAccount, "true"));
                }

                context.Principal = new ClaimsPrincipal(identity);
            },
        };
    }
}
