using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;

namespace Portal.Infrastructure.Aws;

/// <summary>
/// Signs a hand-built request with the SDK's own Signature Version 4 signer, so the portal writes no cryptography:
/// the request is described to the SDK as a <see cref="DefaultRequest"/> and the SDK adds the date, payload hash
/// and authorization.
/// </summary>
internal static class AwsRequestSigner
{
    /// <summary>The headers to send (the signed ones and Authorization); the host header is left to the HTTP stack.</summary>
    public static IReadOnlyDictionary<string, string> Sign(AwsHttpRequest request, Uri baseUri, ImmutableCredentials credentials, DateTime utcNow)
    {
        using var sdkRequest = new DefaultRequest(new UnmodelledRequest(), request.Service)
        {
            HttpMethod = request.Method.Method,
            Endpoint = baseUri,
            ResourcePath = request.Path,
            Content = request.Body ?? [],
            AuthenticationRegion = request.Region,
            UseQueryString = request.Query.Count > 0,
        };
        foreach (var (key, value) in request.Query)
        {
            sdkRequest.Parameters[key] = value;
        }

        if (request.ContentType is not null)
        {
            sdkRequest.Headers["Content-Type"] = request.ContentType;
        }

        foreach (var (key, value) in request.Headers)
        {
            sdkRequest.Headers[key] = value;
        }

        if (credentials.UseToken)
        {
            sdkRequest.Headers["X-Amz-Security-Token"] = credentials.Token;
        }

        var config = new SigningConfig(request.Service, request.Region, baseUri);
        var result = new AWS4Signer().SignRequest(sdkRequest, config, null, credentials.AccessKey, credentials.SecretKey, utcNow);
        var headers = sdkRequest.Headers
            .Where(h => !h.Key.Equals("host", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase);
        headers["Authorization"] = result.ForAuthorizationHeader;
        return headers;
    }

    private sealed class UnmodelledRequest : AmazonWebServiceRequest;

    /// <summary>The little of a client configuration the signer reads: service name, signing region and endpoint.</summary>
    private sealed class SigningConfig : ClientConfig
    {
        private readonly string _service;

        public SigningConfig(string service, string region, Uri endpoint)
            : base(new StandardDefaults())
        {
            _service = service;
            AuthenticationServiceName = service;
            AuthenticationRegion = region;
            ServiceURL = endpoint.ToString();
        }

        public override string RegionEndpointServiceName => _service;

        public override string ServiceVersion => "portal";

        public override string UserAgent => "portal";

        public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters) => new(ServiceURL);
    }

    private sealed class StandardDefaults : IDefaultConfigurationProvider
    {
        public IDefaultConfiguration GetDefaultConfiguration(Amazon.RegionEndpoint clientRegion, DefaultConfigurationMode? requestedConfigurationMode = null) =>
            new DefaultConfiguration { Name = DefaultConfigurationMode.Standard, RetryMode = RequestRetryMode.Standard };
    }
}
