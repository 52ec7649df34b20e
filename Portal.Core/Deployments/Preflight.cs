using System.Globalization;
using System.Text.Json.Nodes;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;

namespace Portal.Core.Deployments;

public enum PreflightSeverity
{
    Ok,
    Warning,

    /// <summary>The deployment would fail or do harm: it is not started.</summary>
    Failure,
}

/// <summary>
/// One check before a deployment. <see cref="Id"/> is stable (<c>zone.id</c>, <c>quota.distributions</c>) so tests and
/// callers compare ids; <see cref="Message"/> says what was found and what to do.
/// </summary>
public sealed record PreflightFinding(string Id, PreflightSeverity Severity, string Message);

/// <summary>Every finding of one preflight of a request for one environment.</summary>
public sealed record PreflightReport(Guid RequestId, DeploymentEnvironment Environment, DateTimeOffset CheckedAt, IReadOnlyList<PreflightFinding> Findings)
{
    public bool HasFailures => Findings.Any(f => f.Severity == PreflightSeverity.Failure);

    /// <summary>The failures as one text for the workflow's failure reason, or null when nothing fails.</summary>
    public string? FailureMessage => HasFailures
        ? "The preflight stopped the deployment: " + string.Join(" ", Findings.Where(f => f.Severity == PreflightSeverity.Failure).Select(f => f.Message))
        : null;
}

/// <summary>
/// An account quota the portal's stacks consume: its Service Quotas code where AWS publishes one there (null: read
/// only from AWS's documented default, raised through a support case), its default, and the CloudFormation type
/// that consumes it. Defaults from https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html.
/// </summary>
public sealed record AccountQuota(string Id, string Name, string? QuotaCode, int DefaultValue, string ResourceType)
{
    public const string ServiceCode = "cloudfront";

    /// <summary>Distributions per AWS account (500); Service Quotas code L-24B04930.</summary>
    public static AccountQuota Distributions { get; } = new("quota.distributions", "CloudFront distributions", "L-24B04930", 500, "AWS::CloudFront::Distribution");

    /// <summary>Custom response headers policies per AWS account (20); Service Quotas code L-CF0D4FC5.</summary>
    public static AccountQuota ResponseHeadersPolicies { get; } = new("quota.response-headers-policies", "CloudFront response headers policies", "L-CF0D4FC5", 20, "AWS::CloudFront::ResponseHeadersPolicy");

    /// <summary>CloudFront Functions per AWS account (100); not in Service Quotas.</summary>
    public static AccountQuota Functions { get; } = new("quota.functions", "CloudFront Functions", null, 100, "AWS::CloudFront::Function");

    /// <summary>Origin access controls per AWS account (100); raised through a support case.</summary>
    public static AccountQuota OriginAccessControls { get; } = new("quota.origin-access-controls", "CloudFront origin access controls", null, 100, "AWS::CloudFront::OriginAccessControl");

    public static IReadOnlyList<AccountQuota> All { get; } = [Distributions, ResponseHeadersPolicies, Functions, OriginAccessControls];
}

/// <summary>The pure rules of the preflight: each turns what was read from the account into a finding.</summary>
public static class PreflightRules
{
    /// <summary>At or above this share of a quota after the deployment, a warning: the next few requests will hit it.</summary>
    public const double NearQuotaShare = 0.8;

    /// <summary>The region CloudFront reads viewer certificates from: https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html.</summary>
    public const string CertificateRegion = "us-east-1";

    /// <summary>The hosted zone the request names, as Route53 describes it (null: no such zone in the account).</summary>
    public static PreflightFinding Zone(string zoneId, string zoneName, string? actualName, bool actualPrivate, string? idOfNamedZone)
    {
        ArgumentNullException.ThrowIfNull(zoneName);
        var wanted = Normal(zoneName);
        var hint = idOfNamedZone is null
            ? $"No public hosted zone named {wanted} exists in this account: create it in Route53 (or delegate the domain to it) and edit the request."
            : $"Edit the request and choose {wanted} with the id {idOfNamedZone}.";
        if (actualName is null)
        {
            return new("zone.id", PreflightSeverity.Failure, $"The hosted zone {zoneId} does not exist in this account. {hint}");
        }

        if (Normal(actualName) != wanted)
        {
            return new("zone.id", PreflightSeverity.Failure, $"The hosted zone {zoneId} is {Normal(actualName)}, not {wanted}. {hint}");
        }

        return actualPrivate
            ? new("zone.id", PreflightSeverity.Failure, $"The hosted zone {zoneId} ({wanted}) is private: the public cannot resolve its records. {hint}")
            : new("zone.id", PreflightSeverity.Ok, $"The hosted zone {zoneId} is {wanted}.");
    }

    /// <summary>Every name the stacks serve must lie inside the zone, or Route53 refuses the records.</summary>
    public static PreflightFinding NamesInZone(IEnumerable<string> names, string zoneName)
    {
        ArgumentNullException.ThrowIfNull(names);
        var outside = names.Where(n => !HostNameRules.IsWithinZone(Normal(n), Normal(zoneName))).Distinct(StringComparer.Ordinal).ToList();
        return outside.Count == 0
            ? new("zone.names", PreflightSeverity.Ok, $"Every name is inside {Normal(zoneName)}.")
            : new("zone.names", PreflightSeverity.Failure,
                $"{string.Join(", ", outside)} {(outside.Count == 1 ? "is" : "are")} not inside {Normal(zoneName)}: choose the zone that holds {(outside.Count == 1 ? "it" : "them")} or change the names.");
    }

    /// <summary>Records already in the zone where the stacks create theirs.</summary>
    public static PreflightFinding Records(IReadOnlyList<string> conflicts)
    {
        ArgumentNullException.ThrowIfNull(conflicts);
        return conflicts.Count == 0
            ? new("zone.records", PreflightSeverity.Ok, "No record in the zone conflicts with the records the stacks create.")
            : new("zone.records", PreflightSeverity.Failure, string.Join(" ", conflicts));
    }

    /// <summary>
    /// The account's buckets must be configured before anything is deployed to a real account; the example names belong
    /// to nobody (or to someone else), and the sandbox and plan-only downloads may use them.
    /// </summary>
    public static PreflightFinding Buckets(PortalStackSettings settings, bool realAccount)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var examples = new List<string>();
        if (settings.ContentBucketName == PortalStackSettings.Example.ContentBucketName || string.IsNullOrEmpty(settings.ContentBucketName))
        {
            examples.Add("Stacks:ContentBucketName");
        }

        if (settings.LogBucketName == PortalStackSettings.Example.LogBucketName || string.IsNullOrEmpty(settings.LogBucketName))
        {
            examples.Add("Stacks:LogBucketName");
        }

        if (examples.Count == 0)
        {
            return new("buckets", PreflightSeverity.Ok, $"The buckets are {settings.ContentBucketName} and {settings.LogBucketName}.");
        }

        return realAccount
            ? new("buckets", PreflightSeverity.Failure,
                $"The bucket names are the examples: set {string.Join(" and ", examples)} to the account's own globally unique bucket names and restart the portal.")
            : new("buckets", PreflightSeverity.Ok, "The example bucket names are used; fine here, since nothing is deployed to a real account.");
    }

    /// <summary>
    /// One account quota against its use after the deployment: over it, CloudFormation fails half-way (the
    /// <c>TooMany...</c> errors), so the deployment is not started; near it, a warning.
    /// </summary>
    public static PreflightFinding Quota(AccountQuota quota, int limit, int used, int adding, bool fromServiceQuotas)
    {
        ArgumentNullException.ThrowIfNull(quota);
        var after = used + adding;
        var source = fromServiceQuotas ? "Service Quotas" : "AWS's documented default";
        var raise = quota.QuotaCode is { } code
            ? $"ask for an increase of {code} in Service Quotas (service {AccountQuota.ServiceCode})"
            : "ask AWS Support for an increase";
        var figures = string.Create(CultureInfo.InvariantCulture, $"{used} of {limit} {quota.Name} in use ({source}), this deployment adds {adding}");
        if (after > limit)
        {
            return new(quota.Id, PreflightSeverity.Failure, $"{figures}: over the quota. Remove unused ones, or {raise}, then run the checks again.");
        }

        return after >= limit * NearQuotaShare && adding > 0
            ? new(quota.Id, PreflightSeverity.Warning, $"{figures}: near the quota; {raise} before it is reached.")
            : new(quota.Id, PreflightSeverity.Ok, figures + ".");
    }

    /// <summary>A stack with a certificate must be in us-east-1, the only region CloudFront takes certificates from.</summary>
    public static PreflightFinding CertificateRegions(IEnumerable<RenderedStack> stacks)
    {
        ArgumentNullException.ThrowIfNull(stacks);
        var wrong = stacks.Where(s => s.Region != CertificateRegion && Count(s, "AWS::CertificateManager::Certificate") > 0)
            .Select(s => $"{s.StackName} ({s.Region})").ToList();
        return wrong.Count == 0
            ? new("certificate.region", PreflightSeverity.Ok, "Every certificate is requested in us-east-1, where CloudFront reads it.")
            : new("certificate.region", PreflightSeverity.Failure,
                $"{string.Join(", ", wrong)} request a certificate outside us-east-1; CloudFront only uses certificates from us-east-1: deploy these stacks in us-east-1.");
    }

    /// <summary>How many resources of a type a stack creates with its parameters (a resource whose condition is false counts none).</summary>
    public static int Count(RenderedStack stack, string resourceType)
    {
        ArgumentNullException.ThrowIfNull(stack);
        if (JsonNode.Parse(stack.TemplateBody) is not JsonObject template)
        {
            return 0;
        }

        var conditions = TemplateConditions.Evaluate(template, stack.Parameters.ToDictionary(p => p.ParameterKey, p => p.ParameterValue, StringComparer.Ordinal));
        return (template["Resources"] as JsonObject ?? []).Count(r =>
            (r.Value?["Type"] as JsonValue)?.ToString() == resourceType && TemplateConditions.MayExist(r.Value, conditions));
    }

    /// <summary>
    /// The environment a request deploys to next, which the pages check unless asked otherwise: production once testing
    /// is done (the approver's view), testing before.
    /// </summary>
    public static DeploymentEnvironment NextEnvironment(PortalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pastTesting = request.State is RequestState.TestingReady or RequestState.AwaitingApproval or RequestState.Approved
            or RequestState.ProductionDeploying or RequestState.ProductionFailed or RequestState.Live;
        var testsFirst = request.CurrentRevision.Spec is not SiteSpec site || site.Environments.Contains(DeploymentEnvironment.Testing);
        return pastTesting || !testsFirst ? DeploymentEnvironment.Production : DeploymentEnvironment.Testing;
    }

    /// <summary>The overall verdict for a page header.</summary>
    public static PreflightSeverity Worst(IEnumerable<PreflightFinding> findings) =>
        findings.Select(f => f.Severity).DefaultIfEmpty(PreflightSeverity.Ok).Max();

    private static string Normal(string name) => name.TrimEnd('.').ToLowerInvariant();
}
