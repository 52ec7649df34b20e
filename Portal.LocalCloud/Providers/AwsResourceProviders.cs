using Portal.LocalCloud.CloudFormation;
using Portal.LocalCloud.Providers.CertificateManager;
using Portal.LocalCloud.Providers.CloudFront;
using Portal.LocalCloud.Providers.IAM;
using Portal.LocalCloud.Providers.Route53;
using Portal.LocalCloud.Providers.S3;

namespace Portal.LocalCloud.Providers;

/// <summary>The resource providers of every type the portal's templates use, for the CloudFormation engine.</summary>
public static class AwsResourceProviders
{
    /// <summary>One set of providers for one local cloud: they share the certificates' validation state.</summary>
    public static IReadOnlyList<IResourceProvider> Create(LocalCloudQuotas quotas, IBucketStore buckets)
    {
        ArgumentNullException.ThrowIfNull(quotas);
        var certificates = new CertificateProvider(quotas);
        return
        [
            certificates,
            new DistributionProvider(quotas, certificates, buckets),
            new FunctionProvider(quotas),
            AccountScopedConfigProvider.ResponseHeadersPolicies(quotas.ResponseHeadersPolicies),
            AccountScopedConfigProvider.CachePolicies(quotas.CachePolicies),
            AccountScopedConfigProvider.OriginAccessControls(quotas.OriginAccessControls),
            new RecordSetProvider(),
            new RoleProvider(),
            new BucketProvider(buckets),
            new BucketPolicyProvider(buckets),
        ];
    }

    public static IReadOnlyList<IResourceProvider> Create(LocalCloudQuotas quotas, Portal.LocalCloud.S3.S3Service s3) =>
        Create(quotas, new S3ServiceBuckets(s3));
}
