using System.ComponentModel.DataAnnotations;

namespace Portal.Identity.BuiltIn;

/// <summary>Settings of the <c>Identity</c> section: the built-in identity provider.</summary>
public sealed class BuiltInIdentityOptions
{
    public const string SectionName = "Identity";

    /// <summary>Create a demo requester and a demo approver at start and print how to sign in (never in Production).</summary>
    public bool Demo { get; set; }

    /// <summary>How long an enrolment link stays valid.</summary>
    [Range(typeof(TimeSpan), "00:10:00", "30.00:00:00", ErrorMessage = "Identity:InviteLifetime must be between 00:10:00 and 30.00:00:00.")]
    public TimeSpan InviteLifetime { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Wrong passwords or codes in a row before the account is locked.</summary>
    [Range(2, 20, ErrorMessage = "Identity:MaxFailedAttempts must be between 2 and 20.")]
    public int MaxFailedAttempts { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "Identity:LockoutDuration must be between 00:01:00 and 1.00:00:00.")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sign-in form submissions allowed per client address in <see cref="SignInWindow"/>.</summary>
    [Range(1, 10000, ErrorMessage = "Identity:SignInPermitLimit must be between 1 and 10000.")]
    public int SignInPermitLimit { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Identity:SignInWindow must be between 00:00:01 and 01:00:00.")]
    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Requests to the token endpoint and the device authorization endpoint allowed per client id and address in
    /// <see cref="TokenWindow"/>: enough for a pipeline's commands and a terminal polling every few seconds, too few to
    /// guess a secret or a device code.
    /// </summary>
    [Range(1, 10000, ErrorMessage = "Identity:TokenPermitLimit must be between 1 and 10000.")]
    public int TokenPermitLimit { get; set; } = 60;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Identity:TokenWindow must be between 00:00:01 and 01:00:00.")]
    public TimeSpan TokenWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The portal's own sign-ins: every person's sign-in ends in one code exchange from the portal's server, so a
    /// morning's sign-ins through one replica would pass <see cref="TokenPermitLimit"/>; they get their own, larger
    /// budget per address in <see cref="TokenWindow"/>, still a bound on guessing the portal's secret.
    /// </summary>
    [Range(1, 100000, ErrorMessage = "Identity:PortalSignInTokenPermitLimit must be between 1 and 100000.")]
    public int PortalSignInTokenPermitLimit { get; set; } = 1000;

    /// <summary>Requests to the device verification page (where a person types the code) per address in <see cref="VerificationWindow"/>.</summary>
    [Range(1, 10000, ErrorMessage = "Identity:VerificationPermitLimit must be between 1 and 10000.")]
    public int VerificationPermitLimit { get; set; } = 30;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Identity:VerificationWindow must be between 00:00:01 and 01:00:00.")]
    public TimeSpan VerificationWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a command-line sign-in (device code) lasts without use: each refresh of its token starts this again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:30:00", "30.00:00:00", ErrorMessage = "Identity:CommandLineIdleLifetime must be between 00:30:00 and 30.00:00:00.")]
    public TimeSpan CommandLineIdleLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How long a command-line sign-in lasts at most, however often it is used: then the person signs in again (with MFA).</summary>
    [Range(typeof(TimeSpan), "00:30:00", "90.00:00:00", ErrorMessage = "Identity:CommandLineMaxLifetime must be between 00:30:00 and 90.00:00:00.")]
    public TimeSpan CommandLineMaxLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Minimum password length of the built-in provider's users.</summary>
    [Range(8, 128, ErrorMessage = "Identity:MinPasswordLength must be between 8 and 128.")]
    public int MinPasswordLength { get; set; } = 12;
}

/// <summary>The portal's own registration at its built-in provider.</summary>
public static class BuiltInClient
{
    public const string ClientId = "portal";

    /// <summary>Audience of access tokens for the portal's REST API.</summary>
    public const string ApiAudience = "portal-api";

    public const string SignInRateLimit = "sign-in";

    /// <summary>The public client of the command line: device authorization grant (RFC 8628) and refresh tokens, no secret.</summary>
    public const string CliClientId = "portal-cli";
}
