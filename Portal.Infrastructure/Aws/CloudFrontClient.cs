using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Portal.Core.Adoption;

namespace Portal.Infrastructure.Aws.CloudFront;

public sealed record InvalidationBatch(IReadOnlyList<string> Paths, string CallerReference);

public sealed record Invalidation(string Id, string Status, DateTimeOffset CreateTime, InvalidationBatch InvalidationBatch);

public sealed record CreateInvalidationRequest(string DistributionId, InvalidationBatch InvalidationBatch);

public sealed record CreateInvalidationResponse(Invalidation Invalidation, string? Location);

public sealed record GetInvalidationRequest(string DistributionId, string Id);

public sealed record GetInvalidationResponse(Invalidation Invalidation);

public sealed record GetDistributionRequest(string Id);

/// <summary>GetDistribution's answer: the distribution and its configuration's current version (the <c>ETag</c> header).</summary>
public sealed record GetDistributionResponse(CloudFrontDistribution Distribution, string? ETag);

/// <summary>One page of a CloudFront listing (ListDistributions, ListFunctions, ...): the ids on it and where the next starts.</summary>
public sealed record CloudFrontListPage(IReadOnlyList<string> Ids, string? NextMarker);

/// <summary>What a CloudFront listing lists; the request's <c>Marker</c> and <c>MaxItems</c> page through it.</summary>
public enum CloudFrontListing
{
    Distributions,

    /// <summary>Only the account's own (<c>Type=custom</c>): AWS's managed policies count against no quota.</summary>
    ResponseHeadersPolicies,
    Functions,
    OriginAccessControls,
}

/// <summary>The CloudFront operations the portal uses, named as on <c>IAmazonCloudFront</c>.</summary>
public interface ICloudFrontClient
{
    Task<CreateInvalidationResponse> CreateInvalidationAsync(CreateInvalidationRequest request, CancellationToken ct = default);

    Task<GetInvalidationResponse> GetInvalidationAsync(GetInvalidationRequest request, CancellationToken ct = default);

    /// <summary>A distribution and its configuration; <c>NoSuchDistribution</c> (404) when there is none with the id.</summary>
    Task<GetDistributionResponse> GetDistributionAsync(GetDistributionRequest request, CancellationToken ct = default);

    /// <summary>One page of ListDistributions, ListResponseHeadersPolicies, ListFunctions or ListOriginAccessControls.</summary>
    Task<CloudFrontListPage> ListAsync(CloudFrontListing listing, string? marker, int maxItems, CancellationToken ct = default);
}

/// <summary>CloudFront over REST-XML, version 2020-05-31. A global service: signed for us-east-1.</summary>
public sealed class CloudFrontClient(AwsHttpPipeline pipeline) : ICloudFrontClient
{
    public const string Service = "cloudfront";
    public const string SigningRegion = "us-east-1";
    private const string Version = "2020-05-31";
    private static readonly XNamespace Ns = "http://cloudfront.amazonaws.com/doc/2020-05-31/";

    public async Task<CreateInvalidationResponse> CreateInvalidationAsync(CreateInvalidationRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var batch = new XElement(Ns + "InvalidationBatch",
            new XElement(Ns + "Paths",
                new XElement(Ns + "Quantity", request.InvalidationBatch.Paths.Count),
                new XElement(Ns + "Items", request.InvalidationBatch.Paths.Select(p => new XElement(Ns + "Path", p)))),
            new XElement(Ns + "CallerReference", request.InvalidationBatch.CallerReference));
        var body = Encoding.UTF8.GetBytes(new XDocument(new XDeclaration("1.0", "UTF-8", null), batch).Declaration + batch.ToString(SaveOptions.DisableFormatting));
        var response = await pipeline.SendAsync(new AwsHttpRequest(Service, SigningRegion, "CreateInvalidation", HttpMethod.Post,
            $"/{Version}/distribution/{Uri.EscapeDataString(request.DistributionId)}/invalidation")
        {
            Body = body,
            ContentType = "application/xml",
        }, ct);
        response.Headers.TryGetValue("Location", out var location);
        return new(ReadInvalidation(response.Xml?.Root), location);
    }

    public async Task<GetInvalidationResponse> GetInvalidationAsync(GetInvalidationRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await pipeline.SendAsync(new AwsHttpRequest(Service, SigningRegion, "GetInvalidation", HttpMethod.Get,
            $"/{Version}/distribution/{Uri.EscapeDataString(request.DistributionId)}/invalidation/{Uri.EscapeDataString(request.Id)}"), ct);
        return new(ReadInvalidation(response.Xml?.Root));
    }

    public async Task<GetDistributionResponse> GetDistributionAsync(GetDistributionRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await pipeline.SendAsync(new AwsHttpRequest(Service, SigningRegion, "GetDistribution", HttpMethod.Get,
            $"/{Version}/distribution/{Uri.EscapeDataString(request.Id)}"), ct);
        response.Headers.TryGetValue("ETag", out var etag);
        return new(ReadDistribution(response.Xml?.Root), etag);
    }

    public async Task<CloudFrontListPage> ListAsync(CloudFrontListing listing, string? marker, int maxItems, CancellationToken ct = default)
    {
        var (operation, path, list, item) = listing switch
        {
            CloudFrontListing.Distributions => ("ListDistributions", "distribution", "DistributionList", "DistributionSummary"),
            CloudFrontListing.ResponseHeadersPolicies => ("ListResponseHeadersPolicies", "response-headers-policy", "ResponseHeadersPolicyList", "ResponseHeadersPolicySummary"),
            CloudFrontListing.Functions => ("ListFunctions", "function", "FunctionList", "FunctionSummary"),
            _ => ("ListOriginAccessControls", "origin-access-control", "OriginAccessControlList", "OriginAccessControlSummary"),
        };
        var query = new List<KeyValuePair<string, string>>();
        if (!string.IsNullOrEmpty(marker))
        {
            query.Add(new("Marker", marker));
        }

        query.Add(new("MaxItems", maxItems.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (listing == CloudFrontListing.ResponseHeadersPolicies)
        {
            query.Add(new("Type", "custom"));
        }

        var response = await pipeline.SendAsync(new AwsHttpRequest(Service, SigningRegion, operation, HttpMethod.Get, $"/{Version}/{path}") { Query = query }, ct);
        var root = response.Xml?.Root;
        if (root is not null && root.Name.LocalName != list)
        {
            root = root.Child(list);
        }

        var ids = root.Child("Items").Children(item).Select(i => listing switch
        {
            CloudFrontListing.ResponseHeadersPolicies => i.Child("ResponseHeadersPolicy").Text("Id"),
            CloudFrontListing.Functions => i.Text("Name"),
            _ => i.Text("Id"),
        } ?? "").ToList();
        return new(ids, root.Text("NextMarker") is { Length: > 0 } next ? next : null);
    }

    private static CloudFrontDistribution ReadDistribution(XElement? root)
    {
        var config = root.Child("DistributionConfig");
        var behavior = config.Child("DefaultCacheBehavior");
        var origins = config.Child("Origins").Child("Items").Children("Origin")
            .Select(o => new DistributionOrigin(o.Text("Id") ?? "", o.Text("DomainName") ?? "", o.Text("OriginPath"), o.Child("S3OriginConfig") is not null))
            .ToList();
        var errors = config.Child("CustomErrorResponses").Child("Items").Children("CustomErrorResponse")
            .Select(e => new DistributionErrorResponse(int.TryParse(e.Text("ErrorCode"), NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : 0,
                e.Text("ResponsePagePath") is { Length: > 0 } page ? page : null, e.Text("ResponseCode") is { Length: > 0 } status ? status : null))
            .ToList();
        return new CloudFrontDistribution(
            root.Text("Id") ?? "",
            root.Text("Status") ?? "",
            string.Equals(config.Text("Enabled"), "true", StringComparison.OrdinalIgnoreCase),
            root.Text("DomainName") ?? "",
            config.Child("Aliases").Child("Items").Children("CNAME").Select(a => a.Value).ToList(),
            config.Text("DefaultRootObject") is { Length: > 0 } rootObject ? rootObject : null,
            config.Text("PriceClass") ?? "PriceClass_All",
            origins,
            behavior.Text("TargetOriginId") ?? "",
            behavior.Text("ViewerProtocolPolicy") ?? "allow-all",
            errors,
            config.Child("ViewerCertificate").Text("ACMCertificateArn") is { Length: > 0 } arn ? arn : null);
    }

    private static Invalidation ReadInvalidation(XElement? root)
    {
        var batch = root.Child("InvalidationBatch");
        return new Invalidation(
            root.Text("Id") ?? "",
            root.Text("Status") ?? "",
            root.Time("CreateTime") ?? default,
            new InvalidationBatch(batch.Child("Paths").Child("Items").Children("Path").Select(p => p.Value).ToList(), batch.Text("CallerReference") ?? ""));
    }
}
