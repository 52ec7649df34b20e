using System.Globalization;
using System.Text.Json.Nodes;
using Portal.Core.Templates;
using Portal.LocalCloud.CloudFormation;
using Portal.LocalCloud.Templates;
using Portal.Tests.Aws.Loopback;

namespace Portal.Tests.Templates;

/// <summary>
/// <c>bootstrap.yaml</c> resolved as CloudFormation would deploy it in the local cloud's account: the portal role's
/// trust and policy, the CloudFormation service role's policy, and the permissions boundary, with their ARNs.
/// </summary>
public sealed record BootstrapPolicies(
    string PortalRoleArn,
    JsonNode PortalTrust,
    JsonNode PortalPolicy,
    string ServiceRoleArn,
    JsonNode ServiceRoleTrust,
    JsonNode ServiceRolePolicy,
    string BoundaryArn,
    JsonNode Boundary)
{
    public const string Account = CloudFormationService.AccountId;

    public static BootstrapPolicies Render(string prefix, string contentBucket, string logBucket, IReadOnlyList<string> hostedZoneIds,
        string principal = "210987654321", string externalId = "portal-external-id-test", IReadOnlyList<string>? adoptableBuckets = null)
    {
        var template = CloudFormationYaml.ToJson(TemplateLibrary.BootstrapYaml());
        var portalRole = $"arn:aws:iam::{Account}:role/{prefix}-portal";
        var serviceRole = $"arn:aws:iam::{Account}:role/{prefix}-cloudformation";
        var boundary = $"arn:aws:iam::{Account}:policy/{StackNaming.SiteRoleBoundary(prefix)}";
        var parameters = new Dictionary<string, string>
        {
            ["PortalPrincipal"] = principal,
            ["ExternalId"] = externalId,
            ["StackNamePrefix"] = prefix,
            ["ContentBucketName"] = contentBucket,
            ["LogBucketName"] = logBucket,
            ["HostedZoneIds"] = string.Join(',', hostedZoneIds),
            ["AdoptableBuckets"] = string.Join(',', adoptableBuckets ?? []),
        };

        // Names are given by the template (RoleName, ManagedPolicyName), so the ARNs are known before deployment.
        var evaluator = TemplateEvaluator.ForStack(template, parameters, "us-east-1",
            $"arn:aws:cloudformation:us-east-1:{Account}:stack/{StackNaming.Bootstrap(prefix)}/0b5e2f40-0000-4000-8000-000000000001", StackNaming.Bootstrap(prefix),
            (logical, attribute) => (logical, attribute) switch
            {
                ("PortalRole", "Arn") => portalRole,
                ("CloudFormationServiceRole", "Arn") => serviceRole,
                ("SiteRoleBoundary", "Ref") => boundary,
                _ => null,
            });
        if (evaluator.RuleFailures() is [var failure, ..])
        {
            throw new InvalidOperationException(failure);
        }

        var portal = evaluator.ResolveProperties("PortalRole");
        var service = evaluator.ResolveProperties("CloudFormationServiceRole");
        var policy = evaluator.ResolveProperties("SiteRoleBoundary");
        return new BootstrapPolicies(
            portalRole, portal["AssumeRolePolicyDocument"]!, Assert.Single(portal["Policies"]!.AsArray())!["PolicyDocument"]!,
            serviceRole, service["AssumeRolePolicyDocument"]!, Assert.Single(service["Policies"]!.AsArray())!["PolicyDocument"]!,
            boundary, policy["PolicyDocument"]!);
    }

    /// <summary>The portal role's decision on a request.</summary>
    public IamDecision AsPortal(IamRequest request) => IamPolicySimulator.Evaluate([PortalPolicy], null, request);

    /// <summary>The service role's decision on a request (it has no boundary of its own).</summary>
    public IamDecision AsServiceRole(IamRequest request) => IamPolicySimulator.Evaluate([ServiceRolePolicy], null, request);
}

/// <summary>One row of <c>templates/IAM-ACTIONS.md</c>: what CloudFormation needs for one verb of one resource type.</summary>
public sealed record ResourceActionRow(string Type, string Verb, IReadOnlyList<string> Actions, string On, string Source);

/// <summary>The table of <c>templates/IAM-ACTIONS.md</c>, and how a resource action CloudFormation performed maps to IAM requests.</summary>
public static class IamActionTable
{
    public static IReadOnlyList<ResourceActionRow> Read()
    {
        var rows = new List<ResourceActionRow>();
        foreach (var line in File.ReadLines(Path.Combine(RepositoryRoot(), "templates", "IAM-ACTIONS.md")))
        {
            var cells = line.Split('|').Select(c => c.Trim()).ToArray();
            if (cells.Length == 7 && cells[1].StartsWith("AWS::", StringComparison.Ordinal))
            {
                rows.Add(new ResourceActionRow(cells[1], cells[2], cells[3].Split(',').Select(a => a.Trim()).ToList(), cells[4], cells[5]));
            }
        }

        return rows;
    }

    /// <summary>Every IAM request a resource action needs according to the table; an action the table lacks is an error.</summary>
    public static IEnumerable<IamRequest> RequestsFor(IReadOnlyList<ResourceActionRow> table, ResourceAction action)
    {
        var rows = table.Where(r => r.Type == action.ResourceType && r.Verb == action.Verb).ToList();
        if (rows.Count == 0)
        {
            throw new InvalidOperationException($"templates/IAM-ACTIONS.md has no row for {action.Verb} of {action.ResourceType}.");
        }

        var context = new Dictionary<string, string>();
        if (action.ResourceType == "AWS::IAM::Role" && action.Properties["PermissionsBoundary"] is JsonValue boundary)
        {
            context["iam:PermissionsBoundary"] = boundary.GetValue<string>();
        }

        foreach (var row in rows)
        {
            foreach (var resource in Resources(row.On, action))
            {
                foreach (var iamAction in row.Actions)
                {
                    yield return new IamRequest(iamAction, resource, context);
                }
            }
        }
    }

    private static IEnumerable<string> Resources(string on, ResourceAction a)
    {
        const string Account = CloudFormationService.AccountId;
        switch (on)
        {
            case "*":
                return ["*"];
            case "change":
                return ["arn:aws:route53:::change/C0000000000000"];
            case "validation-zone":
                return (a.Properties["DomainValidationOptions"] as JsonArray ?? [])
                    .Select(o => o?["HostedZoneId"]?.GetValue<string>()).OfType<string>().Distinct().Select(Zone);
            case "log-bucket":
                var logging = a.Properties["DistributionConfig"]?["Logging"]?["Bucket"]?.GetValue<string>();
                return logging is null ? [] : ["arn:aws:s3:::" + logging[..logging.IndexOf(".s3.", StringComparison.Ordinal)]];
            case "resource":
                return [a.ResourceType switch
                {
                    "AWS::CertificateManager::Certificate" => a.PhysicalId.StartsWith("arn:", StringComparison.Ordinal) ? a.PhysicalId : $"arn:aws:acm:{a.Region}:{Account}:certificate/{a.PhysicalId}",
                    "AWS::CloudFront::Distribution" => $"arn:aws:cloudfront::{Account}:distribution/{a.PhysicalId}",
                    "AWS::CloudFront::ResponseHeadersPolicy" => $"arn:aws:cloudfront::{Account}:response-headers-policy/{a.PhysicalId}",
                    "AWS::CloudFront::OriginAccessControl" => $"arn:aws:cloudfront::{Account}:origin-access-control/{a.PhysicalId}",
                    "AWS::CloudFront::Function" => a.PhysicalId.StartsWith("arn:", StringComparison.Ordinal) ? a.PhysicalId : $"arn:aws:cloudfront::{Account}:function/{a.PhysicalId}",
                    "AWS::Route53::RecordSet" => Zone(a.Properties["HostedZoneId"]!.GetValue<string>()),
                    "AWS::S3::Bucket" => "arn:aws:s3:::" + a.PhysicalId,
                    "AWS::S3::BucketPolicy" => "arn:aws:s3:::" + a.Properties["Bucket"]!.GetValue<string>(),
                    "AWS::IAM::Role" => a.Attributes.TryGetValue("Arn", out var arn) ? arn : $"arn:aws:iam::{Account}:role/{a.PhysicalId}",
                    _ => throw new InvalidOperationException($"No ARN rule for {a.ResourceType}."),
                }];
            default:
                throw new InvalidOperationException($"Unknown 'on' value {on} in templates/IAM-ACTIONS.md.");
        }
    }

    private static string Zone(string id) => "arn:aws:route53:::hostedzone/" + (id.StartsWith("/hostedzone/", StringComparison.Ordinal) ? id["/hostedzone/".Length..] : id);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Portal.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Portal.slnx not found above the test binaries.");
    }
}

/// <summary>
/// How each API call the portal makes is authorized: its IAM action, resource ARN and condition keys, after the
/// Service Authorization Reference (https://docs.aws.amazon.com/service-authorization/latest/reference/). A call this
/// does not know is an error, so a new call of the portal cannot go unchecked.
/// </summary>
public static class PortalCallPermissions
{
    private const string Account = CloudFormationService.AccountId;

    public static IEnumerable<IamRequest> RequestsFor(LoopbackCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var input = call.Input;
        string? Str(string name) => input.TryGetValue(name, out var v) ? v as string ?? Convert.ToString(v, CultureInfo.InvariantCulture) : null;
        switch (call.Service, call.Operation)
        {
            case ("cloudformation", "CreateChangeSet"):
                var context = new Dictionary<string, string> { ["cloudformation:ChangeSetName"] = Str("ChangeSetName")! };
                if (Str("RoleARN") is { } role)
                {
                    context["cloudformation:RoleArn"] = role;
                    yield return new IamRequest("iam:PassRole", role, new Dictionary<string, string> { ["iam:PassedToService"] = "cloudformation.amazonaws.com" });
                }

                yield return new IamRequest("cloudformation:CreateChangeSet", Stack(call.Region, Str("StackName")!), context);
                break;
            case ("cloudformation", "DescribeStacks") when Str("StackName") is null:
            case ("cloudformation", "DescribeStackDriftDetectionStatus"):
                yield return new IamRequest("cloudformation:" + call.Operation, "*");
                break;
            case ("cloudformation", "DescribeChangeSet" or "ExecuteChangeSet" or "DeleteChangeSet" or "DescribeStacks" or "DescribeStackEvents"
                or "DeleteStack" or "DetectStackDrift" or "DescribeStackResourceDrifts"):
                yield return new IamRequest("cloudformation:" + call.Operation, Stack(call.Region, Str("StackName") ?? StackOfChangeSet(Str("ChangeSetName")!)));
                break;
            case ("cloudfront", "GetDistribution"):
                yield return new IamRequest("cloudfront:GetDistribution", $"arn:aws:cloudfront::{Account}:distribution/{Str("Id")}");
                break;
            case ("s3", "ListObjectsV2"):
                yield return new IamRequest("s3:ListBucket", "arn:aws:s3:::" + Str("Bucket"));
                break;
            case ("cloudfront", "CreateInvalidation" or "GetInvalidation"):
                yield return new IamRequest("cloudfront:" + call.Operation, $"arn:aws:cloudfront::{Account}:distribution/{Str("DistributionId")}");
                break;
            case ("route53", "ListHostedZonesByName" or "ListHostedZones"):
                yield return new IamRequest("route53:" + call.Operation, "*");
                break;
            case ("route53", "ListResourceRecordSets"):
                yield return new IamRequest("route53:ListResourceRecordSets", "arn:aws:route53:::hostedzone/" + Str("HostedZoneId")!.Replace("/hostedzone/", "", StringComparison.Ordinal));
                break;
            case ("route53", "GetHostedZone"):
                yield return new IamRequest("route53:GetHostedZone", "arn:aws:route53:::hostedzone/" + Str("Id")!.Replace("/hostedzone/", "", StringComparison.Ordinal));
                break;
            case ("cloudfront", "ListDistributions" or "ListResponseHeadersPolicies" or "ListFunctions" or "ListOriginAccessControls"):
                yield return new IamRequest("cloudfront:" + call.Operation, "*");
                break;
            case ("servicequotas" or "service-quotas", "GetServiceQuota"):
                yield return new IamRequest("servicequotas:GetServiceQuota", $"arn:aws:servicequotas:{call.Region}:{Account}:{Str("ServiceCode")}/{Str("QuotaCode")}");
                break;
            case ("s3", "PutObject"):
                yield return new IamRequest("s3:PutObject", Object(Str("Bucket")!, Str("Key")!));
                break;
            case ("s3", "GetObject"):
                yield return new IamRequest(Str("VersionId") is null ? "s3:GetObject" : "s3:GetObjectVersion", Object(Str("Bucket")!, Str("Key")!));
                break;
            case ("s3", "ListObjectVersions"):
                yield return new IamRequest("s3:ListBucketVersions", "arn:aws:s3:::" + Str("Bucket"), Str("Prefix") is { } prefix ? new Dictionary<string, string> { ["s3:prefix"] = prefix } : null);
                break;
            case ("s3", "DeleteObjects"):
                var objects = (input["Delete"] as IDictionary<string, object?>)?["Objects"] as IEnumerable<object?> ?? [];
                foreach (var o in objects.OfType<IDictionary<string, object?>>())
                {
                    yield return new IamRequest(o.ContainsKey("VersionId") ? "s3:DeleteObjectVersion" : "s3:DeleteObject", Object(Str("Bucket")!, (string)o["Key"]!));
                }

                break;
            case ("s3", "CopyObject"):
                // CopySource is bucket/key, URL-encoded, with ?versionId= for a version.
                var source = Uri.UnescapeDataString(Str("CopySource")!.TrimStart('/'));
                var version = source.Contains("?versionId=", StringComparison.Ordinal);
                var path = version ? source[..source.IndexOf("?versionId=", StringComparison.Ordinal)] : source;
                yield return new IamRequest(version ? "s3:GetObjectVersion" : "s3:GetObject", "arn:aws:s3:::" + path);
                yield return new IamRequest("s3:PutObject", Object(Str("Bucket")!, Str("Key")!));
                break;
            default:
                throw new InvalidOperationException($"The portal called {call.Service} {call.Operation}, which has no IAM mapping here and in templates/IAM-ACTIONS.md.");
        }
    }

    private static string Object(string bucket, string key) => $"arn:aws:s3:::{bucket}/{key}";

    /// <summary>A stack's ARN: as given when it is one, else with an id CloudFormation would assign.</summary>
    private static string Stack(string region, string nameOrArn) =>
        nameOrArn.StartsWith("arn:", StringComparison.Ordinal) ? nameOrArn : $"arn:aws:cloudformation:{region}:{Account}:stack/{nameOrArn}/00000000-0000-4000-8000-000000000000";

    /// <summary>A change set ARN names its stack only by id; the stack's name is in the change set's own record, so the caller passes StackName whenever it can.</summary>
    private static string StackOfChangeSet(string changeSet) =>
        throw new InvalidOperationException($"A change set call without StackName ({changeSet}) cannot be mapped to its stack.");
}
