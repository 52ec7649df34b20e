using Portal.LocalCloud.CloudFormation;
using Portal.LocalCloud.CloudFront;
using Portal.LocalCloud.Providers;
using Portal.LocalCloud.Resources;
using Portal.LocalCloud.Route53;
using Portal.LocalCloud.S3;
using Portal.LocalCloud.Wire;

namespace Portal.LocalCloud;

/// <summary>
/// One AWS account of the local cloud: its own stacks, resources, hosted zones, distributions, buckets and quotas, as
/// AWS keeps every account's resources apart. Requests reach an account by the credentials they are signed with: the
/// endpoint's own key pair is the default account, an STS session the account of the role it assumed.
/// </summary>
public sealed class LocalCloudAccount
{
    internal LocalCloudAccount(string accountId, LocalCloudEndpointOptions options)
    {
        AccountId = accountId;
        Resources = new ResourceIndex();
        Route53 = new Route53Service();
        S3 = new S3Service(options.Clock);

        // Every resource type goes through the provider that enforces AWS's rules for it (RULES.md).
        var providers = new ResourceProviders(AwsResourceProviders.Create(options.Quotas, S3));
        CloudFormation = new CloudFormationService(options.Clock, options.Timings, Resources, providers, Route53) { Account = accountId };
        CloudFront = new CloudFrontService(options.Clock, CloudFormation.HasDistribution, options.Timings.ChangeSetCreation);
        Listings = new CloudFrontListings(Resources, options.Clock);
        ServiceQuotas = new ServiceQuotas.ServiceQuotasService(options.Quotas);
    }

    public string AccountId { get; }

    public CloudFormationService CloudFormation { get; }

    public ResourceIndex Resources { get; }

    public Route53Service Route53 { get; }

    public CloudFrontService CloudFront { get; }

    public S3Service S3 { get; }

    public ServiceQuotas.ServiceQuotasService ServiceQuotas { get; }

    internal CloudFrontListings Listings { get; }

    internal AwsResult Handle(string service, string operation, string region, Dictionary<string, object?> input) => service switch
    {
        "cloudformation" => CloudFormation.Handle(operation, region, input),
        "route53" => Route53.Handle(operation, input),
        "cloudfront" when CloudFrontListings.Handles(operation) => Listings.Handle(operation, input),
        "cloudfront" => CloudFront.Handle(operation, input),
        "servicequotas" => ServiceQuotas.Handle(operation, input),
        _ => S3.Handle(operation, input),
    };
}
