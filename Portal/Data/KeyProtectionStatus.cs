using Microsoft.Extensions.Options;

namespace Portal.Data;

/// <summary>
/// Whether the Data Protection keys in the database are encrypted. In Production unencrypted keys are a warning, logged
/// at start and shown to admins: whoever reads the database (a backup, a replica's credentials) could forge sessions and
/// unprotect what the keys seal, such as the built-in provider's client secret and signing keys.
/// </summary>
public sealed class KeyProtectionStatus(IOptions<DataProtectionKeyOptions> options, IHostEnvironment environment)
{
    public const string UnencryptedWarning =
        "Data Protection keys are stored unencrypted in the database: whoever can read the database can forge sessions and recover "
        + "the built-in provider's client secret. Set DataProtection:CertificateFile and DataProtection:CertificatePassword to encrypt them.";

    public bool Encrypted => !string.IsNullOrWhiteSpace(options.Value.CertificateFile);

    /// <summary>The warning for admins, or null when there is nothing to warn about.</summary>
    public string? Warning => environment.IsProduction() && !Encrypted ? UnencryptedWarning : null;
}

/// <summary>Logs <see cref="KeyProtectionStatus.Warning"/> once at start.</summary>
internal sealed partial class KeyProtectionWarning(KeyProtectionStatus status, ILogger<KeyProtectionWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (status.Warning is { } warning)
        {
            LogUnencrypted(logger, warning);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogUnencrypted(ILogger logger, string warning);
}
