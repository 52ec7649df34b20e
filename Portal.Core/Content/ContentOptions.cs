using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Portal.Core.Content;

/// <summary>Limits on a site's content upload. Bound from the <c>Content</c> configuration section and checked at start.</summary>
public sealed record ContentOptions : IValidatableObject
{
    public const string SectionName = "Content";

    private const long MiB = 1024 * 1024;

    /// <summary>Largest zip accepted, in bytes, as it arrives.</summary>
    public long MaxUploadBytes { get; init; } = 256 * MiB;

    /// <summary>Most files a zip may hold (folders are not counted).</summary>
    public int MaxFiles { get; init; } = 10_000;

    /// <summary>Most bytes a zip may expand to, counted while it is decompressed: a zip bomb stops here.</summary>
    public long MaxExpandedBytes { get; init; } = 1024 * MiB;

    /// <summary>
    /// Largest single file, expanded. S3 takes at most 5 GiB in one upload or one copy, which is how content is
    /// written to testing and copied to production, so this is also the most it may be.
    /// </summary>
    public long MaxFileBytes { get; init; } = MaxS3ObjectCopyBytes;

    /// <summary>The most S3 writes in one PutObject or copies in one CopyObject.</summary>
    public const long MaxS3ObjectCopyBytes = 5L * 1024 * MiB;

    /// <summary>Where uploads are unpacked and checked before anything is written; the system's temporary folder when empty.</summary>
    public string? StagingDirectory { get; init; }

    /// <summary>Files uploaded to S3 at once.</summary>
    public int UploadConcurrency { get; init; } = 8;

    public string StagingRoot => string.IsNullOrWhiteSpace(StagingDirectory) ? Path.Combine(Path.GetTempPath(), "portal-content") : StagingDirectory;

    /// <summary>The same problems for options validation at start (<c>ValidateDataAnnotations</c>).</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) => Validate().Select(problem => new ValidationResult(problem));

    /// <summary>Every problem, each naming its configuration key.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxUploadBytes is < 1024 or > 5L * 1024 * MiB)
        {
            errors.Add($"Content:MaxUploadBytes must be between 1024 and {5L * 1024 * MiB} (5 GiB); got {MaxUploadBytes.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (MaxFiles is < 1 or > 1_000_000)
        {
            errors.Add($"Content:MaxFiles must be between 1 and 1000000; got {MaxFiles.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (MaxExpandedBytes < 1024 || MaxExpandedBytes > 100L * 1024 * MiB)
        {
            errors.Add($"Content:MaxExpandedBytes must be between 1024 and {100L * 1024 * MiB} (100 GiB); got {MaxExpandedBytes.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (MaxFileBytes is < 1 or > MaxS3ObjectCopyBytes)
        {
            errors.Add($"Content:MaxFileBytes must be between 1 and {MaxS3ObjectCopyBytes} (5 GiB, the most S3 writes or copies in one request); got {MaxFileBytes.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (UploadConcurrency is < 1 or > 64)
        {
            errors.Add($"Content:UploadConcurrency must be between 1 and 64; got {UploadConcurrency.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (!string.IsNullOrWhiteSpace(StagingDirectory) && !Path.IsPathFullyQualified(StagingDirectory))
        {
            errors.Add($"Content:StagingDirectory must be an absolute path; got '{StagingDirectory}'.");
        }

        return errors;
    }

    /// <summary>A size to the byte, for a message comparing it with a limit: "65,537 bytes".</summary>
    public static string ExactBytes(long bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes";

    /// <summary>A size for people: 1.5 MiB, 300 KiB.</summary>
    public static string FormatBytes(long bytes) => bytes switch
    {
        >= 1024L * 1024 * 1024 => (bytes / (1024.0 * 1024 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " GiB",
        >= 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
        >= 1024 => (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " bytes",
    };
}
