namespace Portal.Identity.BuiltIn;

/// <summary>What happened, as the audit entry and the log line name it.</summary>
public enum SecurityEventKind
{
    SignedIn,
    SignInRefused,
    LockedOut,
    StepUpRequested,
    StepUpCompleted,
    AccessDenied,
    SignedOut,
    UserInvited,
    UserRolesChanged,
    UserMfaReset,
    UserDisabled,
    UserEnabled,
    ServiceAccountCreated,
    ServiceAccountSecretRotated,
    ServiceAccountRevoked,
    TargetAccountAdded,
    TargetAccountChanged,
    TargetAccountRemoved,
}

/// <summary>One security-relevant event (sign-in refused and why, lockout, step-up, role denial, admin change).</summary>
public sealed class SecurityEvent
{
    public Guid Id { get; set; }

    /// <summary>Unix milliseconds: a plain number orders and filters the same on SQLite and PostgreSQL.</summary>
    public long AtUnixMs { get; set; }

    public string Kind { get; set; } = "";

    /// <summary>Whom it is about (a user id or the provider's <c>sub</c>), when known.</summary>
    public string? Subject { get; set; }

    /// <summary>Their email or display name, when known.</summary>
    public string? Name { get; set; }

    /// <summary>Why (the refusal reason) or what (the path denied, the roles given).</summary>
    public string? Detail { get; set; }

    /// <summary>Who did it, for admin changes: the admin's id, or <c>cli</c>.</summary>
    public string? By { get; set; }

    /// <summary>The client's address, when it came over HTTP.</summary>
    public string? Client { get; set; }
}

/// <summary>
/// Writes each security event twice: a structured log line (category <c>Portal.Identity.Security</c>) for whoever
/// watches the logs, and a row in <c>identity_security_events</c> that stays when logs rotate. A failed write of the
/// row is logged but never turns the person's request into an error.
/// </summary>
public sealed partial class SecurityAudit(IServiceScopeFactory scopes, TimeProvider clock, IHttpContextAccessor http, ILoggerFactory loggers)
{
    public const string Category = "Portal.Identity.Security";

    private readonly ILogger _logger = loggers.CreateLogger(Category);

    public async Task RecordAsync(SecurityEventKind kind, string? subject, string? name, string? detail = null, string? by = null)
    {
        var client = http.HttpContext?.Connection.RemoteIpAddress?.ToString();
        // Refusals are what someone watching the logs acts on; sign-ins, step-ups and an admin's own changes are the record.
        var level = kind is SecurityEventKind.SignInRefused or SecurityEventKind.LockedOut or SecurityEventKind.AccessDenied
            ? LogLevel.Warning
            : LogLevel.Information;
        LogEvent(_logger, level, kind, subject, name, detail, by, client);
        var at = clock.GetUtcNow();

        // A context of its own: the caller's may hold changes of its own (a user being updated) that are not ours to save.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalIdentityDbContext>();
        db.SecurityEvents.Add(new SecurityEvent
        {
            Id = Guid.CreateVersion7(at),
            AtUnixMs = at.ToUnixTimeMilliseconds(),
            Kind = kind.ToString(),
            Subject = Cut(subject, 256),
            Name = Cut(name, 256),
            Detail = Cut(detail, 1024),
            By = Cut(by, 256),
            Client = Cut(client, 64),
        });
        try
        {
            await db.SaveChangesAsync();
        }
        catch (Microsoft.EntityFrameworkCore.DbUpdateException ex)
        {
            LogWriteFailed(_logger, kind, ex.GetBaseException().Message);
        }
    }

    private static string? Cut(string? text, int length) => text is null || text.Length <= length ? text : text[..length];

    [LoggerMessage(Message = "Security event {Kind}: subject {Subject} ({Name}), {Detail}, by {By}, from {Client}")]
    private static partial void LogEvent(ILogger logger, LogLevel level, SecurityEventKind kind, string? subject, string? name, string? detail, string? by, string? client);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The audit entry of security event {Kind} was not stored: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, SecurityEventKind kind, string reason);
}
