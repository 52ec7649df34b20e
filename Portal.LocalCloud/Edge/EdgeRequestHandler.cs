using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Portal.LocalCloud.Resources;
using Portal.LocalCloud.S3;

namespace Portal.LocalCloud.Edge;

/// <summary>
/// One request through a distribution, in CloudFront's order: the Host picks the distribution, the path picks the
/// cache behaviour, the viewer protocol policy and the allowed methods are checked, the viewer-request function runs
/// (and may answer itself), the default root object stands in for <c>/</c>, the origin is read (an S3 bucket
/// through origin access control), custom error responses replace origin errors, the object is compressed when the
/// viewer accepts it, and the behaviour's response headers policy and CloudFront's own headers finish the response.
/// Everything is read from the resource index at each request, so an update of a stack shows at once.
/// </summary>
/// <remarks>
/// There is no cache: every request reads the bucket, so X-Cache always says Miss. A sandbox shows published content
/// immediately; invalidations are accepted by the CloudFront API and have nothing to clear here.
/// </remarks>
/// <param name="accountId">The account the distributions and buckets belong to (the default account's when null): what
/// origin access control signs as and what a bucket policy's account conditions compare with.</param>
public sealed class EdgeRequestHandler(ResourceIndex index, S3Service s3, CloudFrontFunctionRuntime runtime, Func<int> httpsPort, string? accountId = null)
{
    private readonly string _accountId = accountId ?? Templates.TemplateEvaluator.AccountId;

    public const string FunctionResourceType = "AWS::CloudFront::Function";

    // Stands for the edge server's name in Via, as CloudFront's <hash>.cloudfront.net names the server that answered.
    private readonly string _viaHost = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + ".cloudfront.net";

    public IReadOnlyList<EdgeDistribution> Distributions() =>
        index.OfType(EdgeDistribution.ResourceType).Select(EdgeDistribution.From).ToList();

    public EdgeResponse Handle(EdgeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var requestId = NewRequestId();
        var distribution = EdgeHosts.Find(Distributions(), request.Host);
        if (distribution is null)
        {
            return Generated(CloudFrontError(403, CloudFrontPages.BadRequest, requestId), "Error", requestId);
        }

        var behavior = distribution.BehaviorFor(request.Path);
        var policy = HeadersPolicy(behavior);

        // A *.localhost name is the sandbox's browser path over plain HTTP (see EdgeServer); anything else over
        // plain HTTP meets the behaviour's viewer protocol policy, as at CloudFront.
        if (!request.IsHttps && !EdgeHosts.IsLocalName(request.Host))
        {
            if (behavior.ViewerProtocolPolicy == "redirect-to-https")
            {
                return Finish(Redirect(request), null, "Redirect", requestId);
            }

            if (behavior.ViewerProtocolPolicy == "https-only")
            {
                return Generated(CloudFrontError(403, CloudFrontPages.BadRequest, requestId), "Error", requestId);
            }
        }

        if (!behavior.AllowedMethods.Contains(request.Method.ToUpperInvariant(), StringComparer.Ordinal))
        {
            return Finish(CloudFrontError(403, CloudFrontPages.MethodNotAllowed, requestId), policy, "Error", requestId);
        }

        var uri = request.Path;
        if (behavior.ViewerRequestFunctionArn is { } arn)
        {
            var function = FindFunction(arn);
            var outcome = function is null
                ? new FunctionOutcome(null, null, $"No function {arn}.")
                : runtime.Run(EdgeDistribution.Text(function.Properties["FunctionCode"]) ?? "",
                    EdgeDistribution.Text(function.Properties["FunctionConfig"]?["Runtime"]) ?? "cloudfront-js-1.0",
                    ViewerRequestEvent.Build(request, distribution, requestId));
            if (outcome.Failed)
            {
                return Finish(CloudFrontError(503, CloudFrontPages.FunctionFailed, requestId), policy, "Error", requestId);
            }

            if (outcome.Response is { } generated)
            {
                try
                {
                    return Finish(FunctionResponse(generated), policy, "FunctionGeneratedResponse", requestId);
                }
                catch (FormatException)
                {
                    // A base64 body that is not base64: CloudFront rejects the function's response.
                    return Finish(CloudFrontError(503, CloudFrontPages.FunctionFailed, requestId), policy, "Error", requestId);
                }
            }

            // Only the uri matters to an S3 origin: the managed CachingOptimized policy forwards no query string,
            // cookie or viewer header to it.
            uri = EdgeDistribution.Text(outcome.Request!["uri"])!;
        }

        if (uri == "/" && distribution.DefaultRootObject is { } root)
        {
            uri = "/" + root.TrimStart('/');
        }

        var origin = distribution.Origin(behavior.TargetOriginId);
        var response = origin is null
            ? CloudFrontError(502, CloudFrontPages.BadRequest, requestId)
            : ReadOrigin(distribution, origin, uri, request.IsHttps || EdgeHosts.IsLocalName(request.Host), requestId);
        response = ApplyErrorResponses(distribution, response, request.IsHttps || EdgeHosts.IsLocalName(request.Host), requestId);
        if (response.Status == 200)
        {
            response = Conditional(response, request) ?? Compressed(response, behavior, request);
        }

        return Finish(response, policy, response.Status >= 400 ? "Error" : "Miss", requestId);
    }

    /// <param name="secure">
    /// CloudFront reads an S3 origin with the viewer's protocol; the sandbox's plain-HTTP <c>*.localhost</c> path stands
    /// in for HTTPS (CloudFront itself never serves such a name).
    /// </param>
    private EdgeResponse ReadOrigin(EdgeDistribution distribution, EdgeOrigin origin, string uri, bool secure, string requestId)
    {
        if (origin.S3Bucket is not { } bucket)
        {
            return CloudFrontError(502, CloudFrontPages.BadRequest, requestId);
        }

        if (!s3.HasBucket(bucket))
        {
            return S3Error(404, "NoSuchBucket", "The specified bucket does not exist", requestId);
        }

        string key;
        try
        {
            key = origin.KeyFor(uri);
        }
        catch (UriFormatException)
        {
            return S3Error(400, "InvalidURI", "Couldn't parse the specified URI.", requestId);
        }

        // The bucket policy decides first: a read it does not allow is AccessDenied whether or not the key exists.
        var policy = index.OfType("AWS::S3::BucketPolicy").FirstOrDefault(p => EdgeDistribution.Text(p.Properties["Bucket"]) == bucket);
        var signedBy = origin.SignsRequests ? $"arn:aws:cloudfront::{_accountId}:distribution/{distribution.Id}" : null;
        // What S3 holds wins: someone may have replaced the policy outside CloudFormation (PutBucketPolicy).
        var document = s3.Policy(bucket) is { } held
            ? Providers.ProviderSupport.PolicyDocument(System.Text.Json.Nodes.JsonValue.Create(held))
            : Providers.ProviderSupport.PolicyDocument(policy?.Properties["PolicyDocument"]);
        if (!OriginReadPolicy.Allows(document, new OriginRead(bucket, key, signedBy, _accountId, secure)))
        {
            return S3Error(403, "AccessDenied", "Access Denied", requestId);
        }

        var found = s3.Read(bucket, key);
        if (found is null)
        {
            return S3Error(403, "AccessDenied", "Access Denied", requestId);
        }

        var headers = EdgeResponse.NewHeaders();
        headers["Content-Type"] = found.ContentType;
        headers["Last-Modified"] = found.LastModified.ToString("R", CultureInfo.InvariantCulture);
        headers["ETag"] = found.ETag;
        headers["x-amz-version-id"] = found.VersionId;
        headers["Accept-Ranges"] = "bytes";
        headers["Server"] = "AmazonS3";
        if (found.CacheControl is { } cacheControl)
        {
            headers["Cache-Control"] = cacheControl;
        }

        return new EdgeResponse(200, null, headers, found.Content);
    }

    private EdgeResponse ApplyErrorResponses(EdgeDistribution distribution, EdgeResponse response, bool secure, string requestId)
    {
        var custom = distribution.ErrorResponses.FirstOrDefault(e => e.ErrorCode == response.Status);
        if (custom is null)
        {
            return response;
        }

        var status = custom.ResponseCode ?? response.Status;
        if (custom.ResponsePagePath is not { } page)
        {
            return response with { Status = status, Reason = null };
        }

        var pageBehavior = distribution.BehaviorFor(page);
        var pageOrigin = distribution.Origin(pageBehavior.TargetOriginId);
        var pageResponse = pageOrigin is null ? null : ReadOrigin(distribution, pageOrigin, page, secure, requestId);
        return pageResponse is { Status: 200 } ? pageResponse with { Status = status } : response;
    }

    private static EdgeResponse? Conditional(EdgeResponse response, EdgeRequest request)
    {
        if (request.Header("If-None-Match") is not { } match || !response.Headers.TryGetValue("ETag", out var etag))
        {
            return null;
        }

        static string Bare(string tag) => tag.Trim().StartsWith("W/", StringComparison.Ordinal) ? tag.Trim()[2..] : tag.Trim();
        if (match.Trim() != "*" && !match.Split(',').Any(tag => Bare(tag) == Bare(etag)))
        {
            return null;
        }

        var headers = EdgeResponse.NewHeaders();
        foreach (var name in new[] { "ETag", "Last-Modified", "Cache-Control", "Server" })
        {
            if (response.Headers.TryGetValue(name, out var value))
            {
                headers[name] = value;
            }
        }

        return new EdgeResponse(304, null, headers, []);
    }

    private static EdgeResponse Compressed(EdgeResponse response, EdgeBehavior behavior, EdgeRequest request)
    {
        if (!behavior.Compress)
        {
            return response;
        }

        var encoding = EdgeCompression.Choose(request.Header("Accept-Encoding"), response.Headers.GetValueOrDefault("Content-Type"),
            response.Body.Length, response.Headers.GetValueOrDefault("Content-Encoding"));
        if (encoding is null)
        {
            return response;
        }

        var headers = new Dictionary<string, string>(response.Headers, StringComparer.OrdinalIgnoreCase)
        {
            ["Content-Encoding"] = encoding,
        };
        if (headers.TryGetValue("ETag", out var etag))
        {
            headers["ETag"] = EdgeCompression.WeakETag(etag);
        }

        return response with { Headers = headers, Body = EdgeCompression.Compress(response.Body, encoding) };
    }

    private EdgeResponse Redirect(EdgeRequest request)
    {
        var host = request.Host.Trim();
        var name = host.StartsWith('[') ? host[..(host.IndexOf(']', StringComparison.Ordinal) + 1)]
            : host.LastIndexOf(':') is var colon and > 0 ? host[..colon] : host;
        var port = httpsPort();
        var authority = port is 443 or 0 ? name : name + ":" + port.ToString(CultureInfo.InvariantCulture);
        var headers = EdgeResponse.NewHeaders();
        headers["Location"] = "https://" + authority + request.Path + (request.Query.Length > 0 ? "?" + request.Query : "");
        headers["Content-Type"] = "text/html";
        headers["Server"] = "CloudFront";
        return new EdgeResponse(301, "Moved Permanently", headers, CloudFrontPages.MovedPermanently());
    }

    private static EdgeResponse FunctionResponse(JsonObject generated)
    {
        var headers = EdgeResponse.NewHeaders();
        headers["Server"] = "CloudFront";
        foreach (var group in ViewerRequestEvent.Pairs(generated["headers"]).GroupBy(p => p.Key, StringComparer.OrdinalIgnoreCase))
        {
            headers[group.Key] = string.Join(", ", group.Select(p => p.Value));
        }

        var cookies = new List<string>();
        foreach (var (name, entry) in generated["cookies"] as JsonObject ?? [])
        {
            var cookie = name + "=" + EdgeDistribution.Text(entry?["value"]);
            if (EdgeDistribution.Text(entry?["attributes"]) is { Length: > 0 } attributes)
            {
                cookie += "; " + attributes;
            }

            cookies.Add(cookie);
        }

        var body = generated["body"] switch
        {
            JsonValue text => Encoding.UTF8.GetBytes(EdgeDistribution.Text(text) ?? ""),
            JsonObject { } payload when EdgeDistribution.Text(payload["encoding"]) == "base64" => Convert.FromBase64String(EdgeDistribution.Text(payload["data"]) ?? ""),
            JsonObject { } payload => Encoding.UTF8.GetBytes(EdgeDistribution.Text(payload["data"]) ?? ""),
            _ => [],
        };
        return new EdgeResponse(EdgeDistribution.Int(generated["statusCode"])!.Value, EdgeDistribution.Text(generated["statusDescription"]), headers, body)
        {
            SetCookies = cookies,
        };
    }

    private EdgeResponse Finish(EdgeResponse response, JsonObject? policy, string result, string requestId)
    {
        ResponseHeadersPolicy.Apply(policy, response.Headers);
        return Generated(response, result, requestId);
    }

    // CloudFront's own headers come last: a response headers policy can neither remove nor replace them.
    private EdgeResponse Generated(EdgeResponse response, string result, string requestId)
    {
        response.Headers["X-Cache"] = result + " from cloudfront";
        response.Headers["Via"] = "1.1 " + _viaHost + " (CloudFront)";
        response.Headers["X-Amz-Cf-Pop"] = "LOCAL1-P1";
        response.Headers["X-Amz-Cf-Id"] = requestId;
        return response;
    }

    private JsonObject? HeadersPolicy(EdgeBehavior behavior) =>
        behavior.ResponseHeadersPolicyId is { } id
            ? index.Find(ResponseHeadersPolicy.ResourceType, id)?.Properties["ResponseHeadersPolicyConfig"] as JsonObject
            : null;

    /// <summary>The function an association's ARN names: by the ARN CloudFormation reported, or by the name the ARN ends in.</summary>
    private LiveResource? FindFunction(string arn)
    {
        var name = arn[(arn.LastIndexOf('/') + 1)..];
        var functions = index.OfType(FunctionResourceType);
        return functions.FirstOrDefault(f => f.Attributes.GetValueOrDefault("FunctionARN") == arn)
            ?? functions.FirstOrDefault(f => EdgeDistribution.Text(f.Properties["Name"]) == name);
    }

    private static EdgeResponse CloudFrontError(int status, string message, string requestId)
    {
        var headers = EdgeResponse.NewHeaders();
        headers["Server"] = "CloudFront";
        headers["Content-Type"] = "text/html";
        return new EdgeResponse(status, null, headers, CloudFrontPages.ErrorPage(status, message, requestId));
    }

    private static EdgeResponse S3Error(int status, string code, string message, string requestId)
    {
        var headers = EdgeResponse.NewHeaders();
        headers["Server"] = "AmazonS3";
        headers["Content-Type"] = "application/xml";
        return new EdgeResponse(status, null, headers, CloudFrontPages.S3Error(code, message, requestId));
    }

    // The shape of CloudFront's request ids: 56 characters of URL-safe base64.
    private static string NewRequestId() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(42)).Replace('+', '-').Replace('/', '_');
}
