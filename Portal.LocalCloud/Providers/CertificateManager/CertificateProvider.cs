using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Portal.LocalCloud.CloudFormation;
using Portal.LocalCloud.Resources;

namespace Portal.LocalCloud.Providers.CertificateManager;

/// <summary>
/// <c>AWS::CertificateManager::Certificate</c> with DNS validation. Ref (and <c>Id</c>) is
/// <c>arn:aws:acm:region:account:certificate/uuid</c>. The certificate stays PENDING_VALIDATION, and CloudFormation
/// shows the validation record as the IN_PROGRESS reason, until every domain is validated:
/// <list type="bullet">
/// <item>a domain whose DomainValidationOption names a hosted zone gets its validation CNAME written there by
/// CloudFormation, as AWS does, so it validates on the next poll;</item>
/// <item>a domain held by a zone of the local cloud validates once the CNAME exists in that zone, whoever wrote it;</item>
/// <item>a domain no zone here holds validates after <see cref="LocalCloudQuotas.ExternalValidationDelay"/>, standing
/// for its owner adding the record at their DNS provider (e-mail validation is treated the same way).</item>
/// </list>
/// Once ISSUED it stays issued (ACM does not re-check until renewal). It cannot be deleted while a distribution uses it.
/// </summary>
public sealed class CertificateProvider(LocalCloudQuotas quotas) : IResourceProvider
{
    private readonly ConcurrentDictionary<string, Request> _requests = new(StringComparer.Ordinal);

    public string Type => "AWS::CertificateManager::Certificate";

    /// <summary>ISSUED, PENDING_VALIDATION, or null for a certificate this provider never requested.</summary>
    public string? Status(string arn) => _requests.TryGetValue(arn, out var request) ? request.Issued ? "ISSUED" : "PENDING_VALIDATION" : null;

    /// <summary>The domain names a certificate covers: its DomainName and SubjectAlternativeNames.</summary>
    public static IReadOnlyList<string> Domains(JsonNode? properties) =>
        new[] { properties.Str("DomainName") }.Concat(properties.Strings("SubjectAlternativeNames"))
            .OfType<string>().Select(d => d.TrimEnd('.').ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The CNAME ACM asks for to validate a domain: name <c>_hash.domain.</c>, value <c>_hash.acm-validations.aws.</c>.
    /// The same for every certificate of the account that names the domain, as ACM reuses it; a wildcard is validated
    /// through its base domain.
    /// </summary>
    public static (string Name, string Value) ValidationRecord(string accountId, string domain)
    {
        var baseDomain = domain.StartsWith("*.", StringComparison.Ordinal) ? domain[2..] : domain;
        var name = Hash("name", accountId, baseDomain);
        var value = Hash("value", accountId, baseDomain);
        return ($"_{name}.{baseDomain}.", $"_{value}.acm-validations.aws.");
    }

    public ProvisionResult Create(ProvisionContext context, JsonObject properties)
    {
        var domains = Domains(properties);
        var dns = !string.Equals(properties.Str("ValidationMethod"), "EMAIL", StringComparison.OrdinalIgnoreCase);
        if (dns)
        {
            foreach (var option in properties.Items("DomainValidationOptions"))
            {
                var zone = option.Str("HostedZoneId");
                var domain = option.Str("DomainName")?.TrimEnd('.').ToLowerInvariant();
                if (zone is null || domain is null)
                {
                    continue;
                }

                var record = ValidationRecord(context.AccountId, domain);
                var problem = context.Route53.ChangeRecord(zone, "UPSERT", record.Name, "CNAME", 300, [record.Value], null);
                if (problem is not null)
                {
                    return ProvisionResult.Failed(problem);
                }
            }
        }

        var arn = $"arn:aws:acm:{context.Region}:{context.AccountId}:certificate/{ProviderSupport.Uuid()}";
        var request = new Request(domains, dns, context.Clock.GetUtcNow());
        _requests[arn] = request;
        return Pending(context, arn, request);
    }

    public ProvisionResult Poll(ProvisionContext context, LiveResource current)
    {
        if (!_requests.TryGetValue(current.PhysicalId, out var request))
        {
            // A certificate requested before this provider existed (its state is not kept across restarts) counts as
            // issued: it was, or would have been, validated by now.
            _requests[current.PhysicalId] = new Request(Domains(current.Properties), Dns: true, context.Clock.GetUtcNow(), Issued: true);
            return ProvisionResult.Created(current.PhysicalId, Attributes(current.PhysicalId));
        }

        var pending = request.Domains.Where(d => !Validated(context, request, d)).ToList();
        if (pending.Count > 0)
        {
            return Pending(context, current.PhysicalId, request);
        }

        _requests[current.PhysicalId] = request with { Issued = true };
        return ProvisionResult.Created(current.PhysicalId, Attributes(current.PhysicalId));
    }

    /// <summary>Every property of a certificate but its tags needs a new certificate, which the engine does itself.</summary>
    public ProvisionResult Update(ProvisionContext context, LiveResource current, JsonObject properties) =>
        ProvisionResult.Created(current.PhysicalId, current.Attributes);

    public string? Delete(ProvisionContext context, LiveResource current)
    {
        var users = context.Resources.OfType("AWS::CloudFront::Distribution")
            .Where(d => d.Properties["DistributionConfig"]?["ViewerCertificate"].Str("AcmCertificateArn") == current.PhysicalId);
        if (users.Any())
        {
            return ProviderSupport.ServiceError("AWSCertificateManager", 400, "ResourceInUseException", $"Certificate {current.PhysicalId} in account {context.AccountId} is in use.");
        }

        _requests.TryRemove(current.PhysicalId, out _);
        return null;
    }

    private ProvisionResult Pending(ProvisionContext context, string arn, Request request)
    {
        var first = request.Domains.FirstOrDefault(d => !Validated(context, request, d));
        if (first is null)
        {
            return new ProvisionResult(arn, Attributes(arn), null, "Certificate is being issued");
        }

        if (!request.Dns)
        {
            return new ProvisionResult(arn, Attributes(arn), null, $"Validation e-mail sent for {first}");
        }

        var record = ValidationRecord(context.AccountId, first);
        return new ProvisionResult(arn, Attributes(arn), null, $"Content of DNS Record is: {{Name: {record.Name},Type: CNAME,Value: {record.Value}}}");
    }

    private bool Validated(ProvisionContext context, Request request, string domain)
    {
        var record = ValidationRecord(context.AccountId, domain);
        var zone = request.Dns ? context.Route53.ZoneHolding(record.Name) : null;
        if (zone is null)
        {
            return context.Clock.GetUtcNow() >= request.RequestedAt + quotas.ExternalValidationDelay;
        }

        return zone.Records.Any(r => r.Type == "CNAME"
            && string.Equals(r.Name, record.Name, StringComparison.OrdinalIgnoreCase)
            && r.Values.Any(v => string.Equals(v.TrimEnd('.'), record.Value.TrimEnd('.'), StringComparison.OrdinalIgnoreCase)));
    }

    private static Dictionary<string, string> Attributes(string arn) => ProviderSupport.Attributes(("Id", arn));

    private static string Hash(string purpose, string accountId, string domain) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{purpose}|{accountId}|{domain}")))[..32];

    private sealed record Request(IReadOnlyList<string> Domains, bool Dns, DateTimeOffset RequestedAt, bool Issued = false);
}
