using Portal.LocalCloud.Providers;

namespace Portal.LocalCloud.ServiceQuotas;

/// <summary>
/// Service Quotas' GetServiceQuota for the CloudFront quotas the local cloud enforces, reporting the values its
/// providers apply (<see cref="LocalCloudQuotas"/>), so raising one in the sandbox shows in the answer as an increase
/// granted by AWS does. A code it does not know answers <c>NoSuchResourceException</c>, as AWS answers for a code
/// without an applied value.
/// </summary>
public sealed class ServiceQuotasService(LocalCloudQuotas quotas)
{
    /// <summary>The codes of CloudFront's quotas in Service Quotas, with their names there.</summary>
    private static readonly Dictionary<string, (string Name, Func<LocalCloudQuotas, int> Value)> CloudFront = new(StringComparer.Ordinal)
    {
        ["L-24B04930"] = ("Web distributions per AWS account", q => q.Distributions),
        ["L-CF0D4FC5"] = ("Response headers policies per AWS account", q => q.ResponseHeadersPolicies),
        ["L-7D134442"] = ("Cache policies per AWS account", q => q.CachePolicies),
    };

    public AwsResult Handle(string operation, Dictionary<string, object?> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (operation != "GetServiceQuota")
        {
            return AwsResult.Fail(400, "InvalidAction", $"The loopback endpoint does not implement {operation}.");
        }

        var service = input.Str("ServiceCode")!;
        var code = input.Str("QuotaCode")!;
        if (service != "cloudfront" || !CloudFront.TryGetValue(code, out var quota))
        {
            return AwsResult.Fail(400, "NoSuchResourceException", $"The request failed because the specified service quota {code} of {service} does not exist.");
        }

        return AwsResult.Ok(Tree.Of(("Quota", Tree.Of(
            ("ServiceCode", service),
            ("ServiceName", "Amazon CloudFront"),
            ("QuotaArn", $"arn:aws:servicequotas:us-east-1:123456789012:cloudfront/{code}"),
            ("QuotaCode", code),
            ("QuotaName", quota.Name),
            ("Value", (double)quota.Value(quotas)),
            ("Unit", "None"),
            ("Adjustable", true),
            ("GlobalQuota", true)))));
    }
}
