using System.Text.RegularExpressions;
using Portal.Core.Requests;

namespace Portal.Core.Templates;

/// <summary>
/// What the portal's stacks share in one AWS account: where the shared stack and its buckets are, how stacks are
/// named, the delivery defaults and the tags every stack carries. Bound from the <c>Stacks</c> configuration section.
/// </summary>
public sealed partial record PortalStackSettings
{
    public const string SectionName = "Stacks";

    /// <summary>Starts every stack name, e.g. <c>portal</c> gives <c>portal-site-testing-docs-example-com</c>.</summary>
    public string StackNamePrefix { get; init; } = "portal";

    /// <summary>Region of the shared stack and so of the content and log buckets. Site, redirect and MTA-STS stacks are always in us-east-1.</summary>
    public string SharedRegion { get; init; } = "us-east-1";

    /// <summary>Globally unique name of the content bucket.</summary>
    public string ContentBucketName { get; init; } = "";

    /// <summary>Globally unique name of the log bucket.</summary>
    public string LogBucketName { get; init; } = "";

    public string DefaultDocumentFunctionName { get; init; } = "portal-default-document";

    /// <summary>
    /// Copies of each header set's response headers policy and origin access control (headers stacks). CloudFront lets
    /// each serve at most 100 distributions and an account hold 20 response headers policies by default: 6 copies give
    /// the most used header set room for the account's 500 distributions with some slack for an uneven spread, and the
    /// site, redirect and MTA-STS header sets together still fit in 20 policies.
    /// </summary>
    public int HeadersShards { get; init; } = 6;

    /// <summary>
    /// Copies of the default-document function in the shared stack: a function serves at most 100 distributions, an
    /// account holds 100 functions, so 10 copies serve 500 distributions with room for an uneven spread.
    /// </summary>
    public int DefaultDocumentFunctionShards { get; init; } = 10;

    public const int MaxShards = 20;

    public const int MaxFunctionNameLength = 64;

    /// <summary>CloudFront security policy: TLSv1.2_2021 or newer.</summary>
    public string MinimumProtocolVersion { get; init; } = "TLSv1.2_2021";

    public string PriceClass { get; init; } = "PriceClass_All";

    /// <summary>Extra tags on every stack (cost centre, owner team, ...), after the portal's own.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Values for trying the renderer without an AWS account; the bucket names are examples, not reservations.</summary>
    public static PortalStackSettings Example { get; } = new()
    {
        ContentBucketName = "example-portal-content",
        LogBucketName = "example-portal-logs",
    };

    public static IReadOnlyList<string> MinimumProtocolVersions { get; } = ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"];

    public static IReadOnlyList<string> PriceClasses { get; } = ["PriceClass_All", "PriceClass_200", "PriceClass_100"];

    /// <summary>
    /// The settings of a registered account's stacks: its own stack name prefix (<c>&lt;prefix&gt;-&lt;account&gt;</c>, the
    /// prefix its bootstrap stack is deployed with, so no stack name is the same in two accounts), its region for the
    /// shared stack and bucket names of its own (bucket names are global). The default account keeps these settings.
    /// </summary>
    public PortalStackSettings ForAccount(Accounts.TargetAccount? account) =>
        account is null || Accounts.TargetAccount.IsDefault(account.Name)
            ? this
            : this with
            {
                StackNamePrefix = $"{StackNamePrefix}-{account.Name}",
                SharedRegion = account.Region,
                ContentBucketName = $"{ContentBucketName}-{account.Name}",
                LogBucketName = $"{LogBucketName}-{account.Name}",
            };

    /// <summary>Every problem, each naming its configuration key.</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (StackNamePrefix is null || StackNamePrefix.Length > StackNaming.MaxPrefixLength || !PrefixPattern().IsMatch(StackNamePrefix))
        {
            errors.Add(new(Key(nameof(StackNamePrefix)), $"must be 1 to {StackNaming.MaxPrefixLength} lowercase letters, digits and single hyphens, starting with a letter " +
                "(each site's content bucket is named after its stack, and bucket names are lowercase)."));
        }

        if (SharedRegion is null || !RegionPattern().IsMatch(SharedRegion))
        {
            errors.Add(new(Key(nameof(SharedRegion)), "must be an AWS region such as eu-west-1."));
        }

        CheckBucket(errors, nameof(ContentBucketName), ContentBucketName);
        CheckBucket(errors, nameof(LogBucketName), LogBucketName);
        if (ContentBucketName == LogBucketName && !string.IsNullOrEmpty(ContentBucketName))
        {
            errors.Add(new(Key(nameof(LogBucketName)), "must differ from the content bucket: logging a bucket into itself never ends."));
        }

        if (DefaultDocumentFunctionName is null || !FunctionNamePattern().IsMatch(DefaultDocumentFunctionName))
        {
            errors.Add(new(Key(nameof(DefaultDocumentFunctionName)), "must be 1 to 64 letters, digits, hyphens and underscores."));
        }

        if (HeadersShards is < 1 or > MaxShards)
        {
            errors.Add(new(Key(nameof(HeadersShards)), $"must be 1 to {MaxShards}."));
        }

        if (DefaultDocumentFunctionShards is < 1 or > MaxShards)
        {
            errors.Add(new(Key(nameof(DefaultDocumentFunctionShards)), $"must be 1 to {MaxShards}."));
        }
        else if (DefaultDocumentFunctionShards > 1 && DefaultDocumentFunctionName is { Length: > MaxFunctionNameLength - 3 })
        {
            // Copies are named <name>-2 to <name>-20, within CloudFront's 64 characters.
            errors.Add(new(Key(nameof(DefaultDocumentFunctionName)), $"must be at most {MaxFunctionNameLength - 3} characters when there are several copies (DefaultDocumentFunctionShards)."));
        }

        if (!MinimumProtocolVersions.Contains(MinimumProtocolVersion))
        {
            errors.Add(new(Key(nameof(MinimumProtocolVersion)), $"must be one of {string.Join(", ", MinimumProtocolVersions)}."));
        }

        if (!PriceClasses.Contains(PriceClass))
        {
            errors.Add(new(Key(nameof(PriceClass)), $"must be one of {string.Join(", ", PriceClasses)}."));
        }

        foreach (var (key, value) in Tags ?? new Dictionary<string, string>())
        {
            if (!StackTags.IsValidKey(key) || key.StartsWith(StackTags.Prefix, StringComparison.Ordinal))
            {
                errors.Add(new(Key(nameof(Tags)), $"tag key '{key}' must be 1 to 128 letters, digits, spaces or _ . : / = + - @, not starting with '{StackTags.Prefix}'."));
            }
            else if (!StackTags.IsValidValue(value))
            {
                errors.Add(new(Key(nameof(Tags)), $"the value of tag '{key}' must be at most 256 letters, digits, spaces or _ . : / = + - @."));
            }
        }

        return errors;
    }

    private static void CheckBucket(List<FieldError> errors, string name, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(new(Key(name), "is required: the name of an S3 bucket (globally unique)."));
        }
        else if (value.Length is < 3 or > 63 || !BucketPattern().IsMatch(value) || value.Contains("..", StringComparison.Ordinal))
        {
            errors.Add(new(Key(name), $"'{value}' is not a valid bucket name: 3 to 63 lowercase letters, digits and hyphens."));
        }
    }

    private static string Key(string property) => SectionName + ":" + property;

    [GeneratedRegex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex PrefixPattern();

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex BucketPattern();

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex FunctionNamePattern();
}
