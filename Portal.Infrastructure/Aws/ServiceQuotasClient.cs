using System.Text;
using System.Text.Json;

namespace Portal.Infrastructure.Aws.ServiceQuotas;

public sealed record GetServiceQuotaRequest(string ServiceCode, string QuotaCode);

/// <summary>The applied value of one quota (the default until an increase was granted).</summary>
public sealed record ServiceQuota(string ServiceCode, string QuotaCode, string? QuotaName, double Value);

public sealed record GetServiceQuotaResponse(ServiceQuota Quota);

/// <summary>The Service Quotas operations the portal uses, named as on <c>IAmazonServiceQuotas</c>.</summary>
public interface IServiceQuotasClient
{
    /// <summary>An unknown code fails with <c>NoSuchResourceException</c>.</summary>
    Task<GetServiceQuotaResponse> GetServiceQuotaAsync(GetServiceQuotaRequest request, CancellationToken ct = default);
}

/// <summary>
/// Service Quotas over the JSON 1.1 protocol (target prefix <c>ServiceQuotasV20190624</c>). CloudFront's quotas are
/// global and read in us-east-1.
/// </summary>
public sealed class ServiceQuotasClient(AwsHttpPipeline pipeline) : IServiceQuotasClient
{
    public const string Service = "servicequotas";
    public const string Region = "us-east-1";
    private const string TargetPrefix = "ServiceQuotasV20190624";

    public async Task<GetServiceQuotaResponse> GetServiceQuotaAsync(GetServiceQuotaRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["ServiceCode"] = request.ServiceCode,
            ["QuotaCode"] = request.QuotaCode,
        });
        var response = await pipeline.SendAsync(new AwsHttpRequest(Service, Region, "GetServiceQuota", HttpMethod.Post, "/")
        {
            Body = body,
            ContentType = "application/x-amz-json-1.1",
            Headers = new Dictionary<string, string> { ["X-Amz-Target"] = TargetPrefix + ".GetServiceQuota" },
        }, ct);
        using var document = JsonDocument.Parse(response.Body);
        var quota = document.RootElement.TryGetProperty("Quota", out var q) ? q
            : throw new InvalidDataException("Service Quotas answered GetServiceQuota without a Quota: " + Encoding.UTF8.GetString(response.Body));
        return new(new ServiceQuota(
            Text(quota, "ServiceCode") ?? request.ServiceCode,
            Text(quota, "QuotaCode") ?? request.QuotaCode,
            Text(quota, "QuotaName"),
            quota.TryGetProperty("Value", out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble()
                : throw new InvalidDataException($"Service Quotas answered {request.QuotaCode} without a value.")));
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
