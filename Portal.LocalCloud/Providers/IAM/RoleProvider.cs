using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Portal.LocalCloud.CloudFormation;
using Portal.LocalCloud.Resources;

namespace Portal.LocalCloud.Providers.IAM;

/// <summary>
/// <c>AWS::IAM::Role</c>: Ref is the role name (CloudFormation makes one up when RoleName is absent), <c>Arn</c> is
/// <c>arn:aws:iam::account:role/path/name</c>, <c>RoleId</c> is <c>AROA</c> and 17 upper-case letters and digits.
/// The name follows IAM's name requirements and is unique in the account whatever its case; the trust policy must be
/// a policy document with a principal in every statement and no resource.
/// </summary>
internal sealed partial class RoleProvider : IResourceProvider
{
    public string Type => "AWS::IAM::Role";

    public ProvisionResult Create(ProvisionContext context, JsonObject properties)
    {
        var name = properties.Str("RoleName") ?? ProviderSupport.GeneratedName(context.StackName, context.LogicalId, 64, lowerCase: false);
        if (name.Length > 64)
        {
            return Fail("ValidationError", $"1 validation error detected: Value '{name}' at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64");
        }

        if (!NamePattern().IsMatch(name))
        {
            return Fail("ValidationError", $"1 validation error detected: Value '{name}' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
        }

        if (context.Resources.OfType(Type).Any(r => string.Equals(r.PhysicalId, name, StringComparison.OrdinalIgnoreCase)))
        {
            return ProvisionResult.Failed(ProviderSupport.ServiceError("AmazonIdentityManagement", 409, "EntityAlreadyExists", $"Role with name {name} already exists."));
        }

        var problem = TrustPolicyProblem(properties["AssumeRolePolicyDocument"]);
        if (problem is not null)
        {
            return Fail("MalformedPolicyDocument", problem);
        }

        if (BoundaryProblem(context, properties.Str("PermissionsBoundary")) is { } boundary)
        {
            return boundary;
        }

        var path = properties.Str("Path") ?? "/";
        return ProvisionResult.Created(name, ProviderSupport.Attributes(
            ("Arn", $"arn:aws:iam::{context.AccountId}:role{path}{name}"),
            ("RoleId", "AROA" + ProviderSupport.UpperId(17))));
    }

    public ProvisionResult Update(ProvisionContext context, LiveResource current, JsonObject properties)
    {
        if (BoundaryProblem(context, properties.Str("PermissionsBoundary")) is { } boundary)
        {
            return boundary;
        }

        var problem = TrustPolicyProblem(properties["AssumeRolePolicyDocument"]);
        return problem is null ? ProvisionResult.Created(current.PhysicalId, current.Attributes) : Fail("MalformedPolicyDocument", problem);
    }

    public string? Delete(ProvisionContext context, LiveResource current) => null;

    /// <summary>IAM's checks of a role trust policy, in IAM's words; null when it is acceptable.</summary>
    internal static string? TrustPolicyProblem(JsonNode? document)
    {
        var policy = ProviderSupport.PolicyDocument(document);
        if (policy is null)
        {
            return "This policy contains invalid Json";
        }

        var statements = policy["Statement"] switch
        {
            JsonArray array => array.ToList(),
            JsonObject one => [one],
            _ => null,
        };
        if (statements is null || statements.Count == 0)
        {
            return "Syntax errors in policy.";
        }

        foreach (var statement in statements)
        {
            if (statement is not JsonObject s || s.Str("Effect") is not ("Allow" or "Deny"))
            {
                return "Syntax errors in policy.";
            }

            if (s["Principal"] is null && s["NotPrincipal"] is null)
            {
                return "Missing required field Principal";
            }

            if (s["Resource"] is not null || s["NotResource"] is not null)
            {
                return "Has prohibited field Resource";
            }

            if (s["Action"] is null && s["NotAction"] is null)
            {
                return "Missing required field Action";
            }
        }

        return null;
    }

    /// <summary>
    /// A permissions boundary is a managed policy ARN: AWS's own (<c>arn:aws:iam::aws:policy/...</c>) or one of this
    /// account's. A malformed ARN is invalid input; another account's policy cannot be attached. Null when acceptable.
    /// </summary>
    internal static ProvisionResult? BoundaryProblem(ProvisionContext context, string? boundary)
    {
        if (boundary is null)
        {
            return null;
        }

        var match = PolicyArnPattern().Match(boundary);
        if (!match.Success)
        {
            return Fail("InvalidInput", $"ARN {boundary} is not valid.");
        }

        var account = match.Groups["account"].Value;
        return account == "aws" || account == context.AccountId
            ? null
            : ProvisionResult.Failed(ProviderSupport.ServiceError("AmazonIdentityManagement", 404, "NoSuchEntity", $"Scope ARN: {boundary} does not exist or is not attachable."));
    }

    private static ProvisionResult Fail(string code, string message) =>
        ProvisionResult.Failed(ProviderSupport.ServiceError("AmazonIdentityManagement", 400, code, message));

    [GeneratedRegex(@"^arn:aws:iam::(?<account>aws|[0-9]{12}):policy/([\w+=,.@-]+/)*[\w+=,.@-]{1,128}$")]
    private static partial Regex PolicyArnPattern();

    [GeneratedRegex(@"^[\w+=,.@-]+$")]
    private static partial Regex NamePattern();
}
