using Amazon.Runtime;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Infrastructure.Aws;
using Portal.Infrastructure.Aws.CloudFront;
using Portal.Infrastructure.Aws.Route53;
using Portal.Infrastructure.Aws.ServiceQuotas;
using Portal.Infrastructure.Persistence;

namespace Portal.Infrastructure.Deployments;

/// <summary>The checks run before a deployment; the engine refuses to start one whose report has a failure.</summary>
public interface IDeploymentPreflight
{
    Task<PreflightReport> RunAsync(PortalRequest request, DeploymentEnvironment environment, CancellationToken ct = default);
}

/// <summary>
/// Reads the account before a request's stacks are deployed: the hosted zone the request names (Route53
/// GetHostedZone), the records already at the names the stacks create (<see cref="HostedZoneLookup"/>), the account's
/// CloudFront quotas (Service Quotas GetServiceQuota) against their use (CloudFront List* calls) plus what the rendered
/// stacks add, the bucket settings and the certificates' region; the verdicts are <see cref="PreflightRules"/>.
/// A check that cannot read the account (a missing permission, an outage) is a warning, not a failure: it says what
/// it could not check, and CloudFormation still refuses what AWS refuses.
/// </summary>
public sealed class DeploymentPreflight(
    IRoute53Client route53,
    ICloudFrontClient cloudFront,
    IServiceQuotasClient serviceQuotas,
    HostedZoneLookup zones,
    IDeploymentStackSource stacks,
    PortalStackSettings settings,
    AwsAccess access,
    IDbContextFactory<PortalDbContext> dbFactory,
    TimeProvider clock,
    AwsAccountContext? accountContext = null,
    Accounts.TargetAccountDirectory? accounts = null) : IDeploymentPreflight
{
    /// <summary>Pages of a listing read at most (100 items each): past this the count is a lower bound, far beyond any quota here.</summary>
    private const int MaxPages = 100;

    public async Task<PreflightReport> RunAsync(PortalRequest request, DeploymentEnvironment environment, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);

        // The checks read the account the request deploys into, with its credentials.
        using var scope = accountContext?.Use(accounts?.Find(request.CurrentRevision.Spec.Account));
        var findings = new List<PreflightFinding>();
        var status = await access.GetStatusAsync(ct);
        findings.Add(PreflightRules.Buckets(settings, realAccount: status.Mode == AwsAccessMode.Live));
        var rendered = stacks.Render(request, request.CurrentRevision, environment);
        if (!rendered.IsSuccess)
        {
            findings.Add(new("render", PreflightSeverity.Failure,
                "The stacks could not be rendered: " + string.Join("; ", rendered.Errors.Select(e => $"{e.Field}: {e.Message}")) + " Edit the request."));
            return Report(request, environment, findings);
        }

        findings.Add(PreflightRules.CertificateRegions(rendered.Stacks));
        var spec = request.CurrentRevision.Spec;
        var planned = HostedZoneLookup.PlannedRecords(spec, environment);
        var (zoneId, zoneName) = spec switch
        {
            SiteSpec site => (site.HostedZoneId, site.HostedZoneName),
            MtaStsSpec { DnsInRoute53: true } mta => (mta.HostedZoneId!, mta.HostedZoneName ?? mta.Domain),
            _ => ("", ""),
        };
        if (zoneId.Length > 0)
        {
            findings.Add(PreflightRules.NamesInZone(planned.Select(p => p.Name), zoneName));
        }

        if (!status.CanDeploy)
        {
            findings.Add(new("account", PreflightSeverity.Warning,
                "Plan-only mode: the zone, its records and the account's quotas were not read. Check them in the account before deploying the downloaded stacks."));
            return Report(request, environment, findings);
        }

        if (zoneId.Length > 0)
        {
            await CheckZoneAsync(request, zoneId, zoneName, planned, findings, ct);
        }
        else
        {
            findings.Add(new("zone.id", PreflightSeverity.Ok, "DNS is outside Route53: the records are published by the domain's owner."));
        }

        await CheckQuotasAsync(rendered.Stacks, findings, ct);
        return Report(request, environment, findings);
    }

    private PreflightReport Report(PortalRequest request, DeploymentEnvironment environment, List<PreflightFinding> findings) =>
        new(request.Id, environment, clock.GetUtcNow(), findings);

    private async Task CheckZoneAsync(
        PortalRequest request, string zoneId, string zoneName, IReadOnlyList<PlannedRecord> planned, List<PreflightFinding> findings, CancellationToken ct)
    {
        HostedZone? zone;
        try
        {
            zone = (await route53.GetHostedZoneAsync(new GetHostedZoneRequest(zoneId), ct)).HostedZone;
        }
        catch (AmazonServiceException ex) when (ex.ErrorCode is "NoSuchHostedZone" or "InvalidInput")
        {
            zone = null;
        }
        catch (AmazonServiceException ex)
        {
            findings.Add(Unread("zone.id", $"the hosted zone {zoneId}", "route53:GetHostedZone", ex));
            return;
        }

        var matches = zone is not null && zone.Name.TrimEnd('.').Equals(zoneName.TrimEnd('.'), StringComparison.OrdinalIgnoreCase) && !zone.PrivateZone;
        var named = matches ? null : await zones.FindZoneAsync(zoneName, ct);
        var idOfNamed = named is not null && named.Name.Equals(zoneName.TrimEnd('.'), StringComparison.OrdinalIgnoreCase) ? named.Id : null;
        var verdict = PreflightRules.Zone(zoneId, zoneName, zone?.Name, zone?.PrivateZone ?? false, idOfNamed);
        findings.Add(verdict);
        if (verdict.Severity != PreflightSeverity.Ok)
        {
            return;
        }

        try
        {
            var conflicts = await zones.FindConflictsAsync(zoneId, planned, request.Id, ct);
            findings.Add(PreflightRules.Records(conflicts.Select(c => c.Message).ToList()));
        }
        catch (AmazonServiceException ex)
        {
            findings.Add(Unread("zone.records", $"the records of {zoneName}", "route53:ListResourceRecordSets", ex));
        }
    }

    private async Task CheckQuotasAsync(IReadOnlyList<RenderedStack> rendered, List<PreflightFinding> findings, CancellationToken ct)
    {
        // Only stacks not standing yet add resources: an update replaces what its stack already counts.
        var shared = stacks.Shared();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var standing = (await db.Stacks.AsNoTracking().Where(s => !s.Deleted).Select(s => new { s.Region, s.StackName }).ToListAsync(ct))
            .Select(s => (s.Region, s.StackName)).ToHashSet();
        var creating = rendered.Prepend(shared).Where(s => !standing.Contains((s.Region, s.StackName))).ToList();
        foreach (var quota in AccountQuota.All)
        {
            var adding = creating.Sum(s => PreflightRules.Count(s, quota.ResourceType));
            try
            {
                var (limit, fromServiceQuotas) = await LimitAsync(quota, ct);
                var used = await CountAsync(ListingOf(quota), ct);
                findings.Add(PreflightRules.Quota(quota, limit, used, adding, fromServiceQuotas));
            }
            catch (AmazonServiceException ex)
            {
                findings.Add(Unread(quota.Id, quota.Name, quota.QuotaCode is null ? "cloudfront:List*" : "servicequotas:GetServiceQuota and cloudfront:List*", ex));
            }
        }
    }

    private async Task<(int Limit, bool FromServiceQuotas)> LimitAsync(AccountQuota quota, CancellationToken ct)
    {
        if (quota.QuotaCode is null)
        {
            return (quota.DefaultValue, false);
        }

        try
        {
            var answer = await serviceQuotas.GetServiceQuotaAsync(new GetServiceQuotaRequest(AccountQuota.ServiceCode, quota.QuotaCode), ct);
            return ((int)Math.Min(int.MaxValue, Math.Floor(answer.Quota.Value)), true);
        }
        catch (AmazonServiceException ex) when (ex.ErrorCode == "NoSuchResourceException")
        {
            // Service Quotas has no applied value for this quota in the account: the documented default applies.
            return (quota.DefaultValue, false);
        }
    }

    private static CloudFrontListing ListingOf(AccountQuota quota) => quota.ResourceType switch
    {
        "AWS::CloudFront::Distribution" => CloudFrontListing.Distributions,
        "AWS::CloudFront::ResponseHeadersPolicy" => CloudFrontListing.ResponseHeadersPolicies,
        "AWS::CloudFront::Function" => CloudFrontListing.Functions,
        _ => CloudFrontListing.OriginAccessControls,
    };

    private async Task<int> CountAsync(CloudFrontListing listing, CancellationToken ct)
    {
        var count = 0;
        string? marker = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var answer = await cloudFront.ListAsync(listing, marker, 100, ct);
            count += answer.Ids.Count;
            marker = answer.NextMarker;
            if (marker is null)
            {
                break;
            }
        }

        return count;
    }

    private static PreflightFinding Unread(string id, string what, string permission, AmazonServiceException ex) =>
        new(id, PreflightSeverity.Warning,
            $"Could not read {what} ({ex.ErrorCode}: {ex.Message}); this was not checked. Allow {permission} to the portal's role, or check it by hand.");
}
