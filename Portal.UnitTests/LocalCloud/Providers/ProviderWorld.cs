using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Portal.LocalCloud.Providers;
using Portal.LocalCloud.Resources;

namespace Portal.Tests.LocalCloud.Providers;

/// <summary>
/// A local cloud for calling providers directly, doing what the CloudFormation engine does with their answers: a
/// created resource goes into the resource index, a deleted one leaves it.
/// </summary>
internal sealed class ProviderWorld
{
    public const string Account = "123456789012";

    public ProviderWorld(LocalCloudQuotas? quotas = null, string region = "us-east-1")
    {
        Quotas = quotas ?? new LocalCloudQuotas();
        Region = region;
        S3 = new S3Service(Clock);
        Providers = AwsResourceProviders.Create(Quotas, S3).ToDictionary(p => p.Type, StringComparer.Ordinal);
    }

    public LocalCloudQuotas Quotas { get; }

    public string Region { get; }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public ResourceIndex Resources { get; } = new();

    public Route53Service Route53 { get; } = new();

    public S3Service S3 { get; }

    public IReadOnlyDictionary<string, IResourceProvider> Providers { get; }

    public ProvisionContext Context(string logicalId, string stackName = "site-stack") => new(
        Region, Account, $"arn:aws:cloudformation:{Region}:{Account}:stack/{stackName}/0b6a1e30-f6b1-11f0-9d3c-0affd1a2b3c4",
        stackName, logicalId, Resources, Route53, Clock);

    /// <summary>Creates a resource; on success (finished or waiting) it is live in the index, as the engine records it.</summary>
    public ProvisionResult Create(string type, string logicalId, JsonObject properties)
    {
        var result = Providers[type].Create(Context(logicalId), properties);
        if (result.Succeeded)
        {
            Resources.Put(new LiveResource("stack", logicalId, type, result.PhysicalId!, properties, result.Attributes));
        }

        return result;
    }

    /// <summary>Creates a resource that must succeed and returns it as live.</summary>
    public LiveResource Made(string type, string logicalId, JsonObject properties)
    {
        var result = Create(type, logicalId, properties);
        Assert.True(result.Succeeded, result.Failure);
        return Resources.Find(type, result.PhysicalId!)!;
    }

    public ProvisionResult Update(LiveResource current, JsonObject properties)
    {
        var result = Providers[current.Type].Update(Context(current.LogicalId), current, properties);
        if (result.Succeeded)
        {
            Resources.Remove(current.Type, current.PhysicalId);
            Resources.Put(current with { PhysicalId = result.PhysicalId!, Properties = properties, Attributes = result.Attributes });
        }

        return result;
    }

    public ProvisionResult Poll(LiveResource current)
    {
        var result = Providers[current.Type].Poll(Context(current.LogicalId), current);
        if (result.Succeeded)
        {
            Resources.Put(current with { Attributes = result.Attributes });
        }

        return result;
    }

    public string? Delete(LiveResource current)
    {
        var failure = Providers[current.Type].Delete(Context(current.LogicalId), current);
        if (failure is null)
        {
            Resources.Remove(current.Type, current.PhysicalId);
        }

        return failure;
    }

    /// <summary>An ISSUED certificate for the names, validated through a hosted zone of the local cloud.</summary>
    public LiveResource IssuedCertificate(string domain, params string[] alternativeNames)
    {
        var apex = string.Join('.', domain.TrimStart('*', '.').Split('.')[^2..]);
        var zone = Route53.ZoneHolding(apex)?.Id ?? Route53.AddZone(apex);
        var certificate = Made("AWS::CertificateManager::Certificate", "Certificate", Json.Certificate(domain, zone, alternativeNames));
        var issued = Poll(certificate);
        Assert.True(issued.Succeeded && issued.WaitingFor is null, issued.WaitingFor ?? issued.Failure);
        return certificate;
    }

    /// <summary>A published function.</summary>
    public LiveResource LiveFunction(string name) =>
        Made("AWS::CloudFront::Function", name, Json.Function(name, autoPublish: true));
}
