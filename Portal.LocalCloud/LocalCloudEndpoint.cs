using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Xml.Linq;
using Portal.LocalCloud.CloudFormation;
using Portal.LocalCloud.CloudFront;
using Portal.LocalCloud.Providers;
using Portal.LocalCloud.Resources;
using Portal.LocalCloud.Route53;
using Portal.LocalCloud.S3;
using Portal.LocalCloud.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Portal.LocalCloud;

/// <summary>One call the endpoint accepted: which service, operation and signing region.</summary>
public sealed record LocalCloudCall(string Service, string Operation, string Region)
{
    /// <summary>The call's input as the operation's model reads it (member name to value), for a layer that judges calls.</summary>
    public IReadOnlyDictionary<string, object?> Input { get; init; } = new Dictionary<string, object?>();
}

/// <summary>
/// A layer between a checked call and its execution, for the tests' fault injection: it may answer instead of the
/// service, abort the connection, delay, or run <c>proceed</c> and then misbehave. Returns the result to send, or
/// null when it has dealt with the connection itself.
/// </summary>
public interface ICallInterceptor
{
    Task<AwsResult?> InvokeAsync(LocalCloudCall call, HttpContext context, Func<AwsResult> proceed);
}

/// <summary>Where the endpoint listens and which key pair it accepts.</summary>
public sealed record LocalCloudEndpointOptions
{
    public const string DefaultAccessKey = "AKIDLOCALCLOUDEXAMPL";
    public const string DefaultSecretKey = "local/cloud/secret/key/loopback/only/00000";

    public string AccessKey { get; init; } = DefaultAccessKey;

    public string SecretKey { get; init; } = DefaultSecretKey;

    /// <summary>Port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public LifecycleTimings Timings { get; init; } = new();

    public ICallInterceptor? Interceptor { get; init; }

    /// <summary>AWS's default quotas; a test or an operator who needs more raises them, as one raises a quota in an account.</summary>
    public LocalCloudQuotas Quotas { get; init; } = new();
}

/// <summary>
/// The local cloud's AWS endpoint on 127.0.0.1, reached by the portal through <c>AWS:ServiceURL</c>. Every request must
/// carry a valid SigV4 signature for the right service and region and must fit the official botocore model of its
/// operation; anything else is recorded in <see cref="Violations"/> and refused as AWS refuses it. Answers use each
/// protocol's wire format, written through the same model.
/// </summary>
public sealed class LocalCloudEndpoint : IAsyncDisposable
{
    private static readonly Dictionary<string, XNamespace> Namespaces = new()
    {
        ["cloudformation"] = "http://cloudformation.amazonaws.com/doc/2010-05-15/",
        ["route53"] = "https://route53.amazonaws.com/doc/2013-04-01/",
        ["cloudfront"] = "http://cloudfront.amazonaws.com/doc/2020-05-31/",
        ["s3"] = "http://s3.amazonaws.com/doc/2006-03-01/",
        ["sts"] = "https://sts.amazonaws.com/doc/2011-06-15/",
    };

    private static readonly Lazy<Dictionary<string, BotocoreModel>> Models = new(() => new Dictionary<string, BotocoreModel>
    {
        ["cloudformation"] = BotocoreModel.Load("cloudformation", "2010-05-15"),
        ["route53"] = BotocoreModel.Load("route53", "2013-04-01"),
        ["cloudfront"] = BotocoreModel.Load("cloudfront", "2020-05-31"),
        ["s3"] = BotocoreModel.Load("s3", "2006-03-01"),
        ["servicequotas"] = BotocoreModel.Load("service-quotas", "2019-06-24"),
        ["sts"] = BotocoreModel.Load("sts", "2011-06-15"),
    });

    /// <summary>The JSON protocol's <c>X-Amz-Target</c> prefix of Service Quotas, from its model's metadata.</summary>
    private const string ServiceQuotasTarget = "ServiceQuotasV20190624.";

    private readonly WebApplication _app;
    private readonly LocalCloudEndpointOptions _options;
    private readonly ConcurrentQueue<string> _violations = new();
    private readonly ConcurrentQueue<LocalCloudCall> _calls = new();
    private long _requests;

    private LocalCloudEndpoint(WebApplication app, LocalCloudEndpointOptions options)
    {
        _app = app;
        _options = options;
        Default = new LocalCloudAccount(CloudFormationService.AccountId, options);
        Sts = new Sts.StsService(options.Clock);
    }

    private readonly ConcurrentDictionary<string, LocalCloudAccount> _otherAccounts = new(StringComparer.Ordinal);

    /// <summary>The account of the endpoint's own key pair: what the properties below show.</summary>
    public LocalCloudAccount Default { get; }

    /// <summary>STS: roles of other accounts and the sessions that reach them.</summary>
    public Sts.StsService Sts { get; }

    /// <summary>An account by id: the default one, or another (made on first use, empty, as a new AWS account is).</summary>
    public LocalCloudAccount Account(string accountId) =>
        accountId == Default.AccountId ? Default : _otherAccounts.GetOrAdd(accountId, id => new LocalCloudAccount(id, _options));

    /// <summary>The accounts other than the default one that were reached so far.</summary>
    public IReadOnlyList<LocalCloudAccount> OtherAccounts => [.. _otherAccounts.Values.OrderBy(a => a.AccountId, StringComparer.Ordinal)];

    /// <summary>The account's quotas as Service Quotas reports them: the values the providers enforce.</summary>
    public ServiceQuotas.ServiceQuotasService ServiceQuotas => Default.ServiceQuotas;

    public Uri ServiceUrl { get; private set; } = null!;

    public string AccessKey => _options.AccessKey;

    public string SecretKey => _options.SecretKey;

    public CloudFormationService CloudFormation => Default.CloudFormation;

    /// <summary>Every live resource the stacks created, for the edge and the DNS server.</summary>
    public ResourceIndex Resources => Default.Resources;

    public Route53Service Route53 => Default.Route53;

    public CloudFrontService CloudFront => Default.CloudFront;

    public S3Service S3 => Default.S3;

    /// <summary>Requests that were not signed right or did not fit the model.</summary>
    public IReadOnlyList<string> Violations => _violations.ToList();

    public IReadOnlyList<LocalCloudCall> Calls => _calls.ToList();

    /// <summary>Every HTTP request that reached the endpoint, valid or not.</summary>
    public long RequestCount => Interlocked.Read(ref _requests);

    public static async Task<LocalCloudEndpoint> StartAsync(LocalCloudEndpointOptions? options = null)
    {
        options ??= new LocalCloudEndpointOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, options.Port);
            k.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var endpoint = new LocalCloudEndpoint(app, options);
        app.Run(endpoint.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        endpoint.ServiceUrl = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var request = context.Request;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();

        var service = ServiceOf(request, body);
        var (account, secret, keyProblem) = AccountOf(request);
        var check = SigV4Verifier.Verify(request, body, account is null ? _options.AccessKey : KeyOf(request), secret);
        var (scope, problem) = check;
        if (problem is null && keyProblem is not null)
        {
            var (status, code, message) = keyProblem.Value;
            _violations.Enqueue($"{request.Method} {request.Path}: {code}");
            await WriteErrorAsync(context, service, new AwsError(status, code, message));
            return;
        }

        if (problem is null && scope!.Service != service)
        {
            problem = $"signed for service '{scope.Service}' but sent to {service}";
        }

        if (problem is null && service is "route53" or "cloudfront" && scope!.Region != "us-east-1")
        {
            problem = $"{service} is global and signed for us-east-1, not {scope.Region}";
        }

        if (problem is not null)
        {
            _violations.Enqueue($"{request.Method} {request.Path}: {problem}");
            await WriteErrorAsync(context, service, new AwsError(403, "SignatureDoesNotMatch", problem));
            return;
        }

        var model = Models.Value[service];
        var violations = new List<string>();
        var (operation, input) = Read(model, request, check.Payload, check.Trailers, violations);
        if (operation is null)
        {
            _violations.Enqueue($"{request.Method} {request.Path}{request.QueryString}: no {service} operation in the model fits this request");
            await WriteErrorAsync(context, service, new AwsError(400, "InvalidAction", "No such operation."));
            return;
        }

        if (operation.Input is not null)
        {
            model.Validate(operation.Input, input, operation.Name, violations);
        }

        if (violations.Count > 0)
        {
            foreach (var v in violations)
            {
                _violations.Enqueue(v);
            }

            await WriteErrorAsync(context, service, new AwsError(400, "ValidationError", "Model violation: " + string.Join("; ", violations)));
            return;
        }

        var call = new LocalCloudCall(service, operation.Name, scope!.Region) { Input = input };
        _calls.Enqueue(call);
        var target = account ?? Default;
        AwsResult Execute() => service == "sts" ? Sts.Handle(operation.Name, input) : target.Handle(service, operation.Name, scope.Region, input);

        var result = _options.Interceptor is { } interceptor ? await interceptor.InvokeAsync(call, context, Execute) : Execute();
        if (result is null)
        {
            return;
        }

        if (result.Error is not null)
        {
            await WriteErrorAsync(context, service, result.Error);
            return;
        }

        await WriteOutputAsync(context, model, operation, result.Output ?? []);
    }

    private static string KeyOf(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        var start = authorization.IndexOf("Credential=", StringComparison.Ordinal);
        if (start < 0)
        {
            return "";
        }

        start += "Credential=".Length;
        var end = authorization.IndexOf('/', start);
        return end < 0 ? "" : authorization[start..end];
    }

    /// <summary>
    /// The account a request is signed for and the secret to check its signature with: an STS session's own account,
    /// or the default account for the endpoint's key pair (and anything else, which the signature check then refuses).
    /// A session's token must come with it and the session must not have ended, as AWS requires.
    /// </summary>
    private (LocalCloudAccount? Account, string Secret, (int Status, string Code, string Message)? Problem) AccountOf(HttpRequest request)
    {
        if (Sts.Session(KeyOf(request)) is not { } session)
        {
            return (null, _options.SecretKey, null);
        }

        var account = Account(session.AccountId);
        if (request.Headers["X-Amz-Security-Token"].ToString() != session.SessionToken)
        {
            return (account, session.SecretAccessKey, (403, "InvalidClientTokenId", "The security token included in the request is invalid."));
        }

        if (_options.Clock.GetUtcNow() >= session.Expiration)
        {
            return (account, session.SecretAccessKey, (403, "ExpiredToken", "The security token included in the request is expired"));
        }

        return (account, session.SecretAccessKey, null);
    }

    private static string ServiceOf(HttpRequest request, byte[] body)
    {
        if (request.Headers["X-Amz-Target"].ToString().StartsWith(ServiceQuotasTarget, StringComparison.Ordinal))
        {
            return "servicequotas";
        }

        var path = request.Path.Value ?? "/";
        if (path.StartsWith("/2013-04-01/", StringComparison.Ordinal))
        {
            return "route53";
        }

        if (path.StartsWith("/2020-05-31/", StringComparison.Ordinal))
        {
            return "cloudfront";
        }

        if (request.Method == "POST" && path == "/" && Encoding.UTF8.GetString(body) is var form && form.Contains("Action=", StringComparison.Ordinal))
        {
            return form.Contains("Version=2011-06-15", StringComparison.Ordinal) ? "sts" : "cloudformation";
        }

        return "s3";
    }

    private static (OperationModel? Operation, Dictionary<string, object?> Input) Read(
        BotocoreModel model, HttpRequest request, byte[] body, IReadOnlyDictionary<string, string> trailers, List<string> violations)
    {
        if (model.Protocol == "query")
        {
            var form = Encoding.UTF8.GetString(body).Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2))
                .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : "", StringComparer.Ordinal);
            if (!form.TryGetValue("Action", out var action) || !model.Operations.TryGetValue(action, out var op))
            {
                return (null, []);
            }

            var expected = model.Service == "sts" ? "2011-06-15" : "2010-05-15";
            if (!form.TryGetValue("Version", out var version) || version != expected)
            {
                violations.Add($"{action}: Version must be {expected}");
            }

            return (op, model.ReadQuery(op, form, violations));
        }

        if (model.Protocol == "json")
        {
            var target = request.Headers["X-Amz-Target"].ToString();
            if (request.Method != "POST" || request.Path.Value != "/"
                || !model.Operations.TryGetValue(target[(target.IndexOf('.', StringComparison.Ordinal) + 1)..], out var jsonOp))
            {
                return (null, []);
            }

            if (!request.ContentType?.StartsWith("application/x-amz-json-1.1", StringComparison.Ordinal) ?? true)
            {
                violations.Add($"{jsonOp.Name}: Content-Type must be application/x-amz-json-1.1, not '{request.ContentType}'");
            }

            try
            {
                var tree = body.Length == 0 ? [] : BotocoreJson.Read(System.Text.Json.Nodes.JsonNode.Parse(body)) as Dictionary<string, object?>;
                if (tree is null)
                {
                    violations.Add($"{jsonOp.Name}: the body is not a JSON object");
                }

                return (jsonOp, tree ?? []);
            }
            catch (System.Text.Json.JsonException ex)
            {
                violations.Add($"{jsonOp.Name}: body is not JSON ({ex.Message})");
                return (jsonOp, []);
            }
        }

        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var rawPath = (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "/").Split('?')[0];
        var candidate = model.MatchRest(request.Method, rawPath, query, h => request.Headers.ContainsKey(h)).FirstOrDefault();
        if (candidate.Operation is null)
        {
            return (null, []);
        }

        string? Header(string name) =>
            request.Headers.TryGetValue(name, out var v) ? v.ToString() : trailers.GetValueOrDefault(name.ToLowerInvariant());

        // An object's bytes are the payload itself (PutObject), not an XML document.
        if (model.BlobPayload(candidate.Operation.Input) is not null || model.StringPayload(candidate.Operation.Input) is not null)
        {
            return (candidate.Operation, model.ReadRest(candidate.Operation, candidate.Labels, query, Header, null, violations, body));
        }

        XDocument? xml = null;
        if (body.Length > 0)
        {
            try
            {
                xml = XDocument.Parse(Encoding.UTF8.GetString(body));
            }
            catch (System.Xml.XmlException ex)
            {
                violations.Add($"{candidate.Operation.Name}: body is not XML ({ex.Message})");
            }
        }

        var input = model.ReadRest(candidate.Operation, candidate.Labels, query, Header, xml, violations);
        return (candidate.Operation, input);
    }

    private async Task WriteOutputAsync(HttpContext context, BotocoreModel model, OperationModel operation, Dictionary<string, object?> output)
    {
        var ns = Namespaces.GetValueOrDefault(model.Service) ?? XNamespace.None;
        var violations = new List<string>();
        var requestId = Guid.NewGuid().ToString();
        XElement? root = null;
        if (model.Protocol == "json")
        {
            if (operation.Output is not null)
            {
                model.Validate(operation.Output, output, operation.Name, violations, answer: true);
            }

            foreach (var v in violations)
            {
                _violations.Enqueue("answer " + v);
            }

            context.Response.StatusCode = operation.ResponseCode;
            context.Response.Headers["x-amzn-RequestId"] = requestId;
            context.Response.ContentType = "application/x-amz-json-1.1";
            var json = operation.Output is null ? "{}" : BotocoreJson.Write(model, operation.Output, output)!.ToJsonString();
            await context.Response.WriteAsync(json);
            return;
        }

        if (model.Protocol == "query")
        {
            var content = new List<object>();
            if (operation.Output is not null)
            {
                content.Add(new XElement(ns + operation.ResultWrapper!, model.WriteMembers(operation.Output, output, ns, violations, operation.Name).ToList()));
            }

            content.Add(new XElement(ns + "ResponseMetadata", new XElement(ns + "RequestId", requestId)));
            root = new XElement(ns + (operation.Name + "Response"), content);
        }
        else if (operation.Output is not null)
        {
            var shape = model.Shape(operation.Output);
            foreach (var (name, member) in shape["members"]!.AsObject())
            {
                if ((string?)member!["location"] == "header" && output.Str(name) is { } header)
                {
                    context.Response.Headers[(string)member["locationName"]!] = header;
                }
            }

            if (model.BlobPayload(operation.Output) is { } blob)
            {
                model.Validate(operation.Output, output, operation.Name, violations, answer: true);
                foreach (var v in violations)
                {
                    _violations.Enqueue("answer " + v);
                }

                context.Response.StatusCode = operation.ResponseCode;
                context.Response.Headers["x-amzn-RequestId"] = requestId;
                if (output.TryGetValue(blob, out var bytes) && bytes is byte[] content && !HttpMethods.IsHead(context.Request.Method))
                {
                    await context.Response.Body.WriteAsync(content);
                }

                return;
            }

            if ((string?)shape["payload"] is { } payload)
            {
                model.Validate(operation.Output, output, operation.Name, violations, answer: true);
                if (output.TryGetValue(payload, out var payloadValue) && payloadValue is not null)
                {
                    var member = shape["members"]![payload]!;
                    root = model.WriteValue((string)member["shape"]!, (string?)member["locationName"] ?? payload, payloadValue, ns, violations, operation.Name);
                }
            }
            else
            {
                var rootName = model.Service != "s3" ? operation.Output : operation.Name switch
                {
                    "ListObjectsV2" => "ListBucketResult",
                    "ListObjectVersions" => "ListVersionsResult",
                    "DeleteObjects" => "DeleteResult",
                    _ => operation.Output,
                };
                var members = model.WriteMembers(operation.Output, output, ns, violations, operation.Name, skipLocated: true).ToList();

                // An answer made only of headers (PutObject, HeadObject, DeleteObject) has no body, as S3 sends it.
                root = members.Count == 0 && !model.HasBodyMembers(operation.Output) ? null : new XElement(ns + rootName, members);
            }
        }

        foreach (var v in violations)
        {
            _violations.Enqueue("answer " + v);
        }

        context.Response.StatusCode = operation.ResponseCode;
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        if (root is not null)
        {
            context.Response.ContentType = "text/xml";
            await context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + root.ToString(SaveOptions.DisableFormatting));
        }
    }

    /// <summary>Writes an AWS error in the service's wire format (also for interceptors that answer instead of the service).</summary>
    public static async Task WriteErrorAsync(HttpContext context, string service, AwsError error)
    {
        var requestId = Guid.NewGuid().ToString();
        if (service == "servicequotas")
        {
            // The JSON protocols: the error's name in "__type", its text in "message".
            context.Response.StatusCode = error.Status;
            context.Response.ContentType = "application/x-amz-json-1.1";
            context.Response.Headers["x-amzn-RequestId"] = requestId;
            await context.Response.WriteAsync(new System.Text.Json.Nodes.JsonObject { ["__type"] = error.Code, ["message"] = error.Message }.ToJsonString());
            return;
        }

        XElement root;
        if (service == "s3")
        {
            root = new XElement("Error", new XElement("Code", error.Code), new XElement("Message", error.Message), new XElement("RequestId", requestId));
        }
        else
        {
            var ns = Namespaces[service];
            root = new XElement(ns + "ErrorResponse",
                new XElement(ns + "Error",
                    new XElement(ns + "Type", error.Status >= 500 ? "Receiver" : "Sender"),
                    new XElement(ns + "Code", error.Code),
                    new XElement(ns + "Message", error.Message)),
                new XElement(ns + "RequestId", requestId));
        }

        context.Response.StatusCode = error.Status;
        context.Response.ContentType = "text/xml";
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        await context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + root.ToString(SaveOptions.DisableFormatting));
    }
}
