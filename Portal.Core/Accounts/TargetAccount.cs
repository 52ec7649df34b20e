using System.Text.RegularExpressions;
using Portal.Core.Requests;

namespace Portal.Core.Accounts;

/// <summary>
/// An AWS account the portal deploys into, registered by an admin: its id, the region of its shared stack and buckets,
/// and the role the portal assumes there (made by <c>templates/bootstrap.yaml</c> in that account) with its external id.
/// The portal's own configuration (credentials, <c>Stacks:*</c>) is the account named <see cref="DefaultName"/>, which is
/// not stored: requests that name no account use it, as every request did before accounts could be registered.
/// </summary>
public sealed class TargetAccount
{
    /// <summary>The account of the portal's own credentials and configuration.</summary>
    public const string DefaultName = "default";

    /// <summary>Short name people pick on the forms and the API takes, e.g. <c>marketing</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>Twelve digits.</summary>
    public string AccountId { get; set; } = "";

    /// <summary>Region of the account's shared stack and its content and log buckets.</summary>
    public string Region { get; set; } = "";

    /// <summary>The bootstrap stack's <c>PortalRoleArn</c> output in that account.</summary>
    public string RoleArn { get; set; } = "";

    /// <summary>The external id the role's trust policy requires (the bootstrap stack's <c>ExternalId</c> parameter).</summary>
    public string ExternalId { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Who last changed it (display name), for the admin page.</summary>
    public string UpdatedBy { get; set; } = "";

    public static bool IsDefault(string? name) => string.IsNullOrEmpty(name) || name == DefaultName;

    /// <summary>
    /// The CloudFormation service role of this account's bootstrap stack: deployed with the stack prefix
    /// <c>&lt;prefix&gt;-&lt;name&gt;</c>, it names its role <c>&lt;prefix&gt;-&lt;name&gt;-cloudformation</c>. Null when the
    /// portal passes no service role (none configured for the default account).
    /// </summary>
    public string? CloudFormationRoleArn(string? defaultRoleArn)
    {
        if (string.IsNullOrEmpty(defaultRoleArn))
        {
            return null;
        }

        var at = defaultRoleArn.IndexOf(":role/", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        const string Suffix = "-cloudformation";
        var role = defaultRoleArn[(at + ":role/".Length)..];
        var own = role.EndsWith(Suffix, StringComparison.Ordinal) ? $"{role[..^Suffix.Length]}-{Name}{Suffix}" : role;
        var partition = defaultRoleArn.Split(':')[1];
        return $"arn:{partition}:iam::{AccountId}:role/{own}";
    }
}

/// <summary>What an admin submits for an account (new or changed).</summary>
public sealed record TargetAccountInput(string Name, string AccountId, string Region, string RoleArn, string ExternalId);

/// <summary>The checks of a registered account, with messages that say what to enter.</summary>
public static partial class TargetAccountRules
{
    /// <summary>AWS's commercial regions (those a portal's shared stack may live in).</summary>
    public static readonly IReadOnlyList<string> KnownRegions =
    [
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-south-1", "ap-south-2",
        "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-northeast-1", "ap-northeast-2",
        "ap-northeast-3", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3",
        "eu-south-1", "eu-south-2", "eu-north-1", "il-central-1", "me-south-1", "me-central-1", "sa-east-1",
    ];

    public static IReadOnlyList<FieldError> Validate(TargetAccountInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new List<FieldError>();
        var name = input.Name?.Trim() ?? "";
        if (!NamePattern().IsMatch(name))
        {
            errors.Add(new("name", "Use 2 to 16 lower-case letters, digits and hyphens, starting with a letter (e.g. marketing)."));
        }
        else if (name == TargetAccount.DefaultName)
        {
            errors.Add(new("name", "'default' is the portal's own account (its configured credentials); choose another name."));
        }

        var accountId = input.AccountId?.Trim() ?? "";
        if (!AccountIdPattern().IsMatch(accountId))
        {
            errors.Add(new("accountId", $"An AWS account id is exactly 12 digits (e.g. 123456789012), not '{accountId}'."));
        }

        var region = input.Region?.Trim() ?? "";
        if (!KnownRegions.Contains(region))
        {
            errors.Add(new("region", $"'{region}' is not an AWS region the portal knows; use one such as us-east-1 or eu-west-1."));
        }

        var roleArn = input.RoleArn?.Trim() ?? "";
        var arn = RoleArnPattern().Match(roleArn);
        if (!arn.Success)
        {
            errors.Add(new("roleArn", $"The role must be an IAM role ARN such as arn:aws:iam::123456789012:role/portal (the bootstrap stack's PortalRoleArn output), not '{roleArn}'."));
        }
        else if (AccountIdPattern().IsMatch(accountId) && arn.Groups["account"].Value != accountId)
        {
            errors.Add(new("roleArn", $"The role belongs to account {arn.Groups["account"].Value}, not {accountId}: use the role the bootstrap stack made in this account."));
        }

        var externalId = input.ExternalId?.Trim() ?? "";
        if (!ExternalIdPattern().IsMatch(externalId))
        {
            errors.Add(new("externalId", "The external id is 2 to 1224 characters of letters, digits and + = , . @ : / - (the bootstrap stack's ExternalId parameter)."));
        }

        return errors;
    }

    /// <summary>The account id a role ARN names, or null when it is not a role ARN.</summary>
    public static string? AccountOf(string roleArn)
    {
        var match = RoleArnPattern().Match(roleArn ?? "");
        return match.Success ? match.Groups["account"].Value : null;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{1,15}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex AccountIdPattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:iam::(?<account>[0-9]{12}):role/[\w+=,.@/-]{1,512}$")]
    private static partial Regex RoleArnPattern();

    // AWS STS: ExternalId is 2-1224 characters of [\w+=,.@:\/-].
    [GeneratedRegex(@"^[\w+=,.@:/-]{2,1224}$")]
    private static partial Regex ExternalIdPattern();
}
