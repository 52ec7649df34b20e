using Portal.Identity.Settings;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using Portal.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Portal.Identity.BuiltIn;

public static class BuiltInProviderExtensions
{
    /// <summary>
    /// The OpenID Connect provider inside the portal: OpenIddict over ASP.NET Core Identity users in the portal's
    /// database, with its own sign-in pages (password, then TOTP), lockout and rate limits.
    /// </summary>
    public static WebApplicationBuilder AddBuiltInIdentityProvider(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddPortalDataProtection(builder.Configuration);

        // Both database flavours are registered; the Database section picks one when the context is first needed.
        services.AddDbContext<PostgresIdentityDbContext>((sp, o) => o
            .UseNpgsql(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString, n => n.MigrationsHistoryTable(PortalIdentityDbContext.HistoryTable))
            .UseOpenIddict().LogFailuresAtDebug());
        services.AddDbContext<SqliteIdentityDbContext>((sp, o) => o
            .UseSqlite(
                PersistenceServiceCollectionExtensions.SqliteConnectionString(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value, sp.GetRequiredService<IHostEnvironment>()),
                s => s.MigrationsHistoryTable(PortalIdentityDbContext.HistoryTable))
            .UseOpenIddict().LogFailuresAtDebug());
        services.AddScoped<PortalIdentityDbContext>(sp =>
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.Postgres
                ? sp.GetRequiredService<PostgresIdentityDbContext>()
                : sp.GetRequiredService<SqliteIdentityDbContext>());
        AddIdentityAndServer(services);

        services.AddSingleton<IdentityKeyRing>();
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, ServerKeysAndIssuer>();
        services.AddHostedService<IdentityDatabaseMigrator>();
        services.AddHostedService<BuiltInClientRegistration>();
        services.AddHostedService<DemoUsers>();
        services.AddHostedService<TokenPruning>();
        services.AddScoped<UserAdministration>();
        services.AddScoped<ServiceAccounts>();
        services.AddSingleton<RoleSeeding>();
        services.AddScoped<ProviderSignIn>();
        services.AddScoped<SecurityAudit>();
        services.AddSingleton<SecurityEventLog>();
        services.AddSingleton<PasswordCheckEqualizer>();

        // OpenIddict logs every request it extracts at Information, with parameters it does not mask (code_verifier):
        // only its warnings and errors reach the logs.
        builder.Logging.AddFilter("OpenIddict", LogLevel.Warning);
        return builder;
    }

    /// <summary>
    /// The <c>Identity</c> settings, the rate limit of sign-in form submissions per client address, and the limits of
    /// the provider's token and device endpoints (<see cref="ProviderRateLimits"/>). Registered in every mode (the
    /// pipeline always has the rate limiter); only the built-in provider's pages and endpoints use them.
    /// </summary>
    public static IServiceCollection AddSignInRateLimit(this IServiceCollection services)
    {
        services.AddOptions<BuiltInIdentityOptions>()
            .BindConfiguration(BuiltInIdentityOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.CommandLineIdleLifetime <= o.CommandLineMaxLifetime,
                "Identity:CommandLineIdleLifetime must not be longer than Identity:CommandLineMaxLifetime.")
            .ValidateOnStart();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(BuiltInClient.SignInRateLimit, context =>
            {
                if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
                {
                    return RateLimitPartition.GetNoLimiter("read");
                }

                var settings = context.RequestServices.GetRequiredService<IOptions<BuiltInIdentityOptions>>().Value;
                var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = settings.SignInPermitLimit,
                    Window = settings.SignInWindow,
                    QueueLimit = 0,
                });
            });
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(ProviderRateLimits.Partition);
            o.OnRejected = ProviderRateLimits.RejectedAsync;
        });
        return services;
    }

    /// <summary>
    /// Data Protection keys in the portal's database, shared by every replica and by the CLI verbs; key files that
    /// earlier versions kept in <c>&lt;Database:DataDirectory&gt;/keys</c> are imported once into an empty key table.
    /// </summary>
    public static IServiceCollection AddPortalDataProtection(this IServiceCollection services, IConfiguration configuration)
    {
        var dataProtection = services.AddDataProtection().SetApplicationName("Portal");
        services.AddSingleton<DatabaseXmlRepository>(sp =>
        {
            var database = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var legacyFolder = Path.GetFullPath(Path.Combine(database.DataDirectory, "keys"), sp.GetRequiredService<IHostEnvironment>().ContentRootPath);
            return new DatabaseXmlRepository(
                sp.GetRequiredService<IDbContextFactory<Infrastructure.Persistence.PortalDbContext>>(), legacyFolder, sp.GetRequiredService<ILogger<DatabaseXmlRepository>>());
        });
        services.AddOptions<KeyManagementOptions>().Configure<DatabaseXmlRepository>((o, repository) => o.XmlRepository = repository);

        services.AddOptions<DataProtectionKeyOptions>()
            .BindConfiguration(DataProtectionKeyOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The decrypting certificates have to be known when the services are registered (Data Protection keeps that list
        // internal); a section that does not validate registers none, and the check at start names the bad key.
        var keyProtection = configuration.GetSection(DataProtectionKeyOptions.SectionName).Get<DataProtectionKeyOptions>() ?? new();
        if (!keyProtection.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(keyProtection)).Any()
            && keyProtection.LoadCurrent() is { } certificate)
        {
            dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate([.. keyProtection.LoadAll()]);
        }

        return services;
    }

    private static void AddIdentityAndServer(IServiceCollection services)
    {
        services.AddIdentityCore<PortalUser>()
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<PortalIdentityDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        services.AddOptions<IdentityOptions>().Configure<IOptions<BuiltInIdentityOptions>>((o, settings) =>
        {
            o.User.RequireUniqueEmail = true;
            o.SignIn.RequireConfirmedAccount = false;
            o.Password.RequiredLength = settings.Value.MinPasswordLength;
            o.Password.RequireNonAlphanumeric = false;
            o.Password.RequireUppercase = false;
            o.Password.RequireLowercase = false;
            o.Password.RequireDigit = false;
            o.Lockout.AllowedForNewUsers = true;
            o.Lockout.MaxFailedAccessAttempts = settings.Value.MaxFailedAttempts;
            o.Lockout.DefaultLockoutTimeSpan = settings.Value.LockoutDuration;
        });
        services.AddOptions<DataProtectionTokenProviderOptions>().Configure<IOptions<BuiltInIdentityOptions>>((o, settings) =>
            o.TokenLifespan = settings.Value.InviteLifetime);

        services.AddAuthentication().AddIdentityCookies(cookies =>
        {
            cookies.ApplicationCookie!.Configure(o =>
            {
                o.Cookie.Name = ".portal.idp";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/account/login";
                o.ReturnUrlParameter = "returnUrl";
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = false;
            });
            cookies.TwoFactorUserIdCookie!.Configure(o =>
            {
                o.Cookie.Name = ".portal.idp.pending";
                o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromMinutes(15);
            });
        });

        services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<PortalIdentityDbContext>())
            .AddServer(o =>
            {
                o.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetEndSessionEndpointUris("connect/logout")
                    .SetDeviceAuthorizationEndpointUris("connect/device")
                    .SetEndUserVerificationEndpointUris(DeviceVerificationEndpoint.Path.TrimStart('/'));
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();

                // Pipelines: service accounts (client credentials). People at a terminal: the command line's device code.
                o.AllowClientCredentialsFlow().AllowDeviceAuthorizationFlow();
                o.AddEventHandler(ServiceAccountTokens.Descriptor);

                // The command line keeps a person signed in with refresh tokens (offline_access): rotated at every use,
                // each valid for the idle lifetime, none past the maximum (CommandLineSessions). Only its client may.
                o.AllowRefreshTokenFlow();
                o.AddEventHandler(CommandLineSessions.Descriptor);
                o.SetDeviceCodeLifetime(TimeSpan.FromMinutes(10));

                // S256 only: with "plain" an intercepted authorization request carries the verifier itself.
                o.Configure(options => options.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));
                o.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.Roles, Scopes.OfflineAccess);
                o.RegisterClaims(Claims.Name, Claims.Email, Claims.Role, Claims.AuthenticationMethodReference, Claims.AuthenticationTime);

                // Access tokens are plain signed JWTs so the API's JwtBearer handler validates them like any provider's.
                o.DisableAccessTokenEncryption();
                o.SetIdentityTokenLifetime(TimeSpan.FromMinutes(10));
                o.SetAccessTokenLifetime(TimeSpan.FromMinutes(30));
                o.SetAuthorizationCodeLifetime(TimeSpan.FromMinutes(2));
                o.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .EnableEndUserVerificationEndpointPassthrough();
            });
        services.AddOptions<OpenIddictServerAspNetCoreOptions>().Configure<IOptions<PortalAuthenticationOptions>>((o, settings) =>
            // Plain http is only served on a developer's machine or in tests; a configured public origin must be https.
            o.DisableTransportSecurityRequirement = settings.Value.PublicOrigin is not { } origin || origin.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>Signing and encryption keys from the database, and the issuer from the portal's origin.</summary>
internal sealed class ServerKeysAndIssuer(IdentityKeyRing keys, PortalOrigin origin, IOptions<PortalAuthenticationOptions> settings) : IConfigureOptions<OpenIddictServerOptions>
{
    public void Configure(OpenIddictServerOptions options)
    {
        if (settings.Value.Mode != IdentityProviderMode.BuiltIn)
        {
            // The built-in provider is switched off (its endpoints answer 404): throwaway keys keep OpenIddict content.
            options.SigningCredentials.Add(new SigningCredentials(new RsaSecurityKey(System.Security.Cryptography.RSA.Create(2048)), SecurityAlgorithms.RsaSha256));
            options.EncryptionCredentials.Add(new EncryptingCredentials(
                new RsaSecurityKey(System.Security.Cryptography.RSA.Create(2048)), SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
            return;
        }

        options.SigningCredentials.Add(new SigningCredentials(keys.Rsa(IdentityKeyRing.SigningKey), SecurityAlgorithms.RsaSha256));
        options.EncryptionCredentials.Add(new EncryptingCredentials(
            keys.Rsa(IdentityKeyRing.EncryptionKey), SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
        options.Issuer ??= origin.Primary;
    }
}
