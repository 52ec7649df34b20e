using Portal.LocalCloud.Providers;
using Portal.LocalCloud.ServiceQuotas;
using Portal.LocalCloud.Wire;

namespace Portal.Tests.LocalCloud.ServiceQuotas;

/// <summary>GetServiceQuota answers the values the providers enforce, and refuses a code it has no value for as AWS does.</summary>
public sealed class ServiceQuotaAnswersTests
{
    [Fact]
    public void A_raised_quota_is_reported_as_the_applied_value()
    {
        var service = new ServiceQuotasService(new LocalCloudQuotas { ResponseHeadersPolicies = 45 });

        var answer = service.Handle("GetServiceQuota", Tree.Of(("ServiceCode", "cloudfront"), ("QuotaCode", "L-CF0D4FC5")));

        Assert.Null(answer.Error);
        var quota = (Dictionary<string, object?>)answer.Output!["Quota"]!;
        Assert.Equal(45d, quota["Value"]);
        Assert.Equal(500d, ((Dictionary<string, object?>)new ServiceQuotasService(new LocalCloudQuotas())
            .Handle("GetServiceQuota", Tree.Of(("ServiceCode", "cloudfront"), ("QuotaCode", "L-24B04930"))).Output!["Quota"]!)["Value"]);
    }

    [Theory]
    [InlineData("cloudfront", "L-00000000")]
    [InlineData("s3", "L-24B04930")]
    public void An_unknown_code_is_no_such_resource(string serviceCode, string quotaCode)
    {
        var answer = new ServiceQuotasService(new LocalCloudQuotas()).Handle("GetServiceQuota", Tree.Of(("ServiceCode", serviceCode), ("QuotaCode", quotaCode)));

        Assert.Equal("NoSuchResourceException", answer.Error?.Code);
        Assert.Equal(400, answer.Error?.Status);
    }
}
