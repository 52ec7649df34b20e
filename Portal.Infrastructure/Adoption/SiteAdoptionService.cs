using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Adoption;
using Portal.Core.Health;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Core.Zones;
using Portal.Infrastructure.Aws;
using Portal.Infrastructure.Aws.CloudFront;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Teams;

namespace Portal.Infrastructure.Adoption;

/// <summary>
/// An admin's adoption of a site served by CloudFront from S3 outside the portal: the site's domain name, the
/// distribution serving it, who will own it, which team, and the hosted zone the portal's stack will use.
/// </summary>
public sealed record AdoptSiteCommand(string Host, string DistributionId, string OwnerId, string OwnerName, string? TeamId, string? HostedZoneId, string? HostedZoneName);

/// <summary>A preview or an adoption of a site: what was found, the request made, or the refusal worded for the admin.</summary>
public sealed record SiteAdoptionResult(SiteAdoptionPreview? Preview, Guid? RequestId, RefusalCode? Code, string? Message, IReadOnlyList<FieldError> Errors)
{
    public bool Succeeded => Code is null;

    public static SiteAdoptionResult Refused(RefusalCode code, string message, SiteAdoptionPreview? preview = null, IReadOnlyList<FieldError>? errors = null) =>
        new(preview, null, code, message, errors ?? []);
}

/// <summary>
/// Adopts existing sites on CloudFront and S3: reads the distribution (GetDistribution) and its origin bucket's objects
/// (ListObjectsV2) with the portal's own AWS access, and records a site request in the Adopted state with the settings
/// mapped from them, its owner, team, an audit event and a health target. Nothing is deployed or changed in AWS; the
/// owner's next revision deploys the portal's own stack through the normal workflow.
/// </summary>
public sealed class SiteAdoptionService(
    IDbContextFactory<PortalDbContext> dbFactory, ICloudFrontClient cloudFront, IAmazonS3 s3, AwsAccess access, TimeProvider clock)
{
    /// <summary>Reads the distribution and its bucket, and says what would be adopted, or why it cannot be.</summary>
    public async Task<SiteAdoptionResult> PreviewAsync(string? host, string? distributionId, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (RefuseActor(actor) is { } refused)
        {
            return refused;
        }

        var (name, hostProblem) = SiteAdoption.NormalizeHost(host);
        var (id, idProblem) = SiteAdoption.NormalizeDistributionId(distributionId);
        var errors = new List<FieldError>();
        if (hostProblem is not null)
        {
            errors.Add(new("host", hostProblem));
        }

        if (idProblem is not null)
        {
            errors.Add(new("distributionId", idProblem));
        }

        if (errors.Count > 0)
        {
            return SiteAdoptionResult.Refused(RefusalCode.Invalid, errors[0].Message, errors: errors);
        }

        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await ManagedByAsync(db, name, ct) is { } managed)
            {
                return managed;
            }
        }

        if (!(await access.GetStatusAsync(ct)).CanDeploy)
        {
            return SiteAdoptionResult.Refused(RefusalCode.ConditionNotMet,
                "The portal has no AWS access (plan-only mode), so it cannot read the distribution; adopting a site needs the portal's AWS credentials.");
        }

        CloudFrontDistribution distribution;
        try
        {
            distribution = (await cloudFront.GetDistributionAsync(new GetDistributionRequest(id), ct)).Distribution;
        }
        catch (AmazonServiceException ex) when (ex.ErrorCode == "NoSuchDistribution")
        {
            return Refused(name, id, $"There is no CloudFront distribution {id} in the portal's AWS account. Check the id in the CloudFront console.", RefusalCode.NotFound);
        }
        catch (AmazonServiceException ex) when (IsAccessDenied(ex))
        {
            return Refused(name, id, $"The portal may not read distribution {id} (CloudFront said {ex.ErrorCode}: {ex.Message}). "
                + "Its role needs cloudfront:GetDistribution on it.");
        }

        var (origin, refusal) = SiteAdoption.Judge(name, distribution);
        if (origin is null)
        {
            return Refused(name, id, refusal!);
        }

        BucketInventory inventory;
        try
        {
            inventory = await InventoryAsync(origin, ct);
        }
        catch (AmazonServiceException ex) when (ex.ErrorCode == "NoSuchBucket")
        {
            return Refused(name, id, $"The origin bucket {origin.Bucket} of distribution {id} does not exist (S3 said NoSuchBucket); there is no content to adopt.");
        }
        catch (AmazonServiceException ex) when (IsAccessDenied(ex))
        {
            return Refused(name, id, $"The portal may not list the objects of {origin.Bucket} (S3 said {ex.ErrorCode}). Its role needs s3:ListBucket on the bucket, "
                + "or the bucket is in another account.");
        }

        return new(new SiteAdoptionPreview(name, id, SiteAdoption.Map(name, distribution, origin, inventory), null), null, null, null, []);
    }

    /// <summary>Reads the distribution and bucket again (what is recorded is what is served now), and records the site owned by the person and team named.</summary>
    public async Task<SiteAdoptionResult> AdoptAsync(AdoptSiteCommand command, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        if (RefuseActor(actor) is { } refused)
        {
            return refused;
        }

        var errors = new List<FieldError>();
        var (ownerId, ownerName) = AdoptedOwner.Read(command.OwnerId, command.OwnerName, errors);

        var (host, hostProblem) = SiteAdoption.NormalizeHost(command.Host);
        if (hostProblem is not null)
        {
            errors.Add(new("host", hostProblem));
        }

        if (SiteAdoption.NormalizeDistributionId(command.DistributionId).Problem is { } idProblem)
        {
            errors.Add(new("distributionId", idProblem));
        }

        var team = string.IsNullOrWhiteSpace(command.TeamId) ? null : command.TeamId.Trim();
        string zoneId = "", zoneName = "";
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (team is not null && !await db.Teams.AnyAsync(t => t.Id == team, ct))
            {
                errors.Add(new("teamId", $"There is no team '{team}'; create it on the Teams and zones page first."));
            }

            if (string.IsNullOrWhiteSpace(command.HostedZoneId) && string.IsNullOrWhiteSpace(command.HostedZoneName))
            {
                errors.Add(new("hostedZoneId", "Pick the hosted zone the site's name is in: the portal's stack makes the site's DNS records and certificate there."));
            }
            else if (hostProblem is null && errors.Count == 0)
            {
                // The same zone rules as the site form: the zone holds the host, and is one allowed to the team.
                var grants = await TeamAccess.GrantsAsync(db, ct);
                var spec = (SiteSpec)ZoneRules.ResolveZoneId(new SiteSpec
                {
                    Host = host, HostedZoneId = command.HostedZoneId?.Trim() ?? "", HostedZoneName = command.HostedZoneName?.Trim().TrimEnd('.').ToLowerInvariant() ?? "",
                }, grants);
                errors.AddRange(SpecValidator.ValidateDraft(spec).Errors.Where(e => e.Field is "host" or "hostedZoneId" or "hostedZoneName"));
                if (ZoneRules.Check(spec, ZoneRules.ForTeam(grants, team), enforced: grants.Count > 0) is { } zone)
                {
                    errors.Add(zone);
                }

                if (string.IsNullOrEmpty(spec.HostedZoneName) && grants.FirstOrDefault(g => g.ZoneId == spec.HostedZoneId) is { } known)
                {
                    spec = spec with { HostedZoneName = known.ZoneName };
                }

                (zoneId, zoneName) = (spec.HostedZoneId, spec.HostedZoneName);
            }
        }

        if (errors.Count > 0)
        {
            return SiteAdoptionResult.Refused(RefusalCode.Invalid, errors[0].Message, errors: errors);
        }

        var read = await PreviewAsync(host, command.DistributionId, actor, ct);
        if (!read.Succeeded)
        {
            return read;
        }

        var found = read.Preview!.Found!;
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var request = PortalRequest.Adopt(id, SiteAdoption.Spec(found, zoneId, zoneName), ownerId, ownerName, team, actor, SiteAdoption.Summary(found), now);
        await using var save = await dbFactory.CreateDbContextAsync(ct);
        if (await ManagedByAsync(save, host, ct) is { } managedNow)
        {
            return managedNow;
        }

        save.Requests.Add(request);
        if (!await save.HealthTargets.AnyAsync(t => t.Name == host && t.Kind == HealthCheckKind.Site, ct))
        {
            save.HealthTargets.Add(HealthTarget.Create(host, HealthCheckKind.Site, id, actor.Id, now));
        }

        save.AdminAuditEvents.Add(new AdminAuditRecord
        {
            Id = Guid.CreateVersion7(now), At = now, ActorId = actor.Id, ActorName = actor.DisplayName, Action = "AdoptSite", Subject = $"site {host}",
            Detail = $"distribution {found.DistributionId}; bucket {found.Origin.Bucket}; owner {ownerName} ({ownerId}); team {team ?? "(none)"}; zone {zoneName}",
        });
        try
        {
            await save.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (save.IsUniqueViolation(ex))
        {
            return SiteAdoptionResult.Refused(RefusalCode.Conflict, $"{host} was taken by another request a moment ago; nothing was adopted.", read.Preview);
        }

        return new(read.Preview, id, null, null, []);
    }

    private async Task<BucketInventory> InventoryAsync(OriginBucket origin, CancellationToken ct)
    {
        var request = new ListObjectsV2Request { BucketName = origin.Bucket, Prefix = origin.Prefix.Length == 0 ? null : origin.Prefix };
        var (count, bytes) = (0, 0L);
        while (true)
        {
            var page = await s3.ListObjectsV2Async(request, ct);
            foreach (var item in page.S3Objects ?? [])
            {
                count++;
                bytes += item.Size ?? 0;
            }

            if (page.IsTruncated != true || string.IsNullOrEmpty(page.NextContinuationToken))
            {
                return new BucketInventory(count, bytes);
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    private static bool IsAccessDenied(AmazonServiceException ex) => ex.ErrorCode is "AccessDenied" or "AccessDeniedException";

    private static SiteAdoptionResult Refused(string host, string id, string message, RefusalCode code = RefusalCode.ConditionNotMet) =>
        SiteAdoptionResult.Refused(code, message, new SiteAdoptionPreview(host, id, null, message));

    private static SiteAdoptionResult? RefuseActor(Actor actor) =>
        actor.IsIn(PortalRole.Admin) && !actor.IsServiceAccount
            ? null
            : SiteAdoptionResult.Refused(RefusalCode.RoleRequired, "Adopting an existing site needs the Admin role.");

    private static async Task<SiteAdoptionResult?> ManagedByAsync(PortalDbContext db, string host, CancellationToken ct)
    {
        var existing = await db.Requests.AsNoTracking()
            .Where(r => r.Kind == RequestKind.Site && r.PrimaryName == host && r.State != RequestState.Withdrawn && r.State != RequestState.Decommissioned)
            .Select(r => new { r.Id, r.State })
            .FirstOrDefaultAsync(ct);
        return existing is null
            ? null
            : SiteAdoptionResult.Refused(RefusalCode.Conflict,
                $"{host} is already managed by the portal: request {existing.Id} is {WorkflowRules.Describe(existing.State)}. Nothing was adopted.");
    }
}
