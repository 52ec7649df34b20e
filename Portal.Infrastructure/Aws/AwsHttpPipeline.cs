using System.Globalization;
using System.Net;
using System.Text;
using System.Xml.Linq;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Core.Observability;

namespace Portal.Infrastructure.Aws;

/// <summary>One API call as the wire sees it, before signing.</summary>
public sealed record AwsHttpRequest(string Service, string Region, string Operation, HttpMethod Method, string Path)
{
    public IReadOnlyList<KeyValuePair<string, string>> Query { get; init; } = [];

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public byte[]? Body { get; init; }

    public string? ContentType { get; init; }
}

public sealed record AwsHttpResponse(HttpStatusCode StatusCode, XDocument? Xml, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The body as sent, for the JSON-protocol services (Service Quotas), whose answers are not XML.</summary>
    public byte[] Body { get; init; } = [];
}

/// <summary>
/// Sends signed requests to AWS endpoints and retries what AWS asks to be retried: throttling, 5xx answers and
/// network failures (including an attempt that takes too long), with exponential backoff and full jitter. Any other
/// error answer becomes an <see cref="AmazonServiceException"/> carrying AWS's error code and message.
/// </summary>
public sealed partial class AwsHttpPipeline(
    HttpClient http, IAwsCredentialSource credentials, AwsSettings settings, TimeProvider clock, ILogger<AwsHttpPipeline>? logger = null, PortalMetrics? metrics = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<AwsHttpPipeline>.Instance;

    public AwsSettings Settings => settings;

    /// <summary>The endpoint a service is reached at in a region: the configured ServiceURL, or AWS's own.</summary>
    public Uri EndpointFor(string service, string region) => settings.ServiceUrl ?? service switch
    {
        "route53" => new Uri("https://route53.amazonaws.com/"),
        "cloudfront" => new Uri("https://cloudfront.amazonaws.com/"),
        _ => new Uri($"https://{service}.{region}.amazonaws.com/"),
    };

    public async Task<AwsHttpResponse> SendAsync(AwsHttpRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        for (var attempt = 1; ; attempt++)
        {
            var (response, failure) = await TryOnceAsync(request, ct);
            if (response is not null)
            {
                metrics?.AwsCall(request.Service, request.Operation, AwsCallOutcome.Success);
                return response;
            }

            if (!failure!.Retryable || attempt >= settings.MaxAttempts)
            {
                // One count per call, with how it ended after its retries (a call never sent, for want of credentials, is none).
                if (failure.Outcome is { } outcome)
                {
                    metrics?.AwsCall(request.Service, request.Operation, outcome);
                }

                throw failure.Exception;
            }

            var delay = RetryDelay(attempt);
            LogRetry(_logger, request.Service, request.Operation, attempt, failure.Exception.Message, delay.TotalMilliseconds);
            await Task.Delay(delay, clock, ct);
        }
    }

    /// <summary>Full jitter: a random wait up to the exponential ceiling, so many callers do not retry in step.</summary>
    internal TimeSpan RetryDelay(int attempt)
    {
        var ceiling = Math.Min(settings.MaxRetryDelay.TotalMilliseconds, settings.BaseRetryDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
#pragma warning disable CA5394 // Jitter needs no cryptographic randomness.
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
#pragma warning restore CA5394
    }

    private async Task<(AwsHttpResponse? Response, Failure? Failure)> TryOnceAsync(AwsHttpRequest request, CancellationToken ct)
    {
        var resolved = await credentials.ResolveAsync(ct);
        if (!resolved.Found)
        {
            return (null, new(new AmazonClientException("No AWS credentials: " + resolved.Problem), Retryable: false, Outcome: null));
        }

        var baseUri = EndpointFor(request.Service, request.Region);
        var signed = AwsRequestSigner.Sign(request, baseUri, resolved.Credentials!, clock.GetUtcNow().UtcDateTime);
        using var message = new HttpRequestMessage(request.Method, BuildUri(baseUri, request));
        if (request.Body is not null || request.ContentType is not null)
        {
            message.Content = new ByteArrayContent(request.Body ?? []);
        }

        foreach (var (name, value) in signed)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.Remove("Content-Type");
                message.Content.Headers.TryAddWithoutValidation("Content-Type", value);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attemptTimeout.CancelAfter(settings.AttemptTimeout);
        try
        {
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, attemptTimeout.Token);
            var body = await response.Content.ReadAsByteArrayAsync(attemptTimeout.Token);
            var headers = response.Headers.Concat(response.Content.Headers)
                .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => string.Join(",", g.First().Value), StringComparer.OrdinalIgnoreCase);
            if (response.IsSuccessStatusCode)
            {
                return (new AwsHttpResponse(response.StatusCode, ParseXml(body), headers) { Body = body }, null);
            }

            return (null, ErrorFrom(request, response.StatusCode, body));
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            return (null, new(new AmazonClientException($"{request.Operation} took longer than {settings.AttemptTimeout.TotalSeconds:0.#} s.", ex), Retryable: true, AwsCallOutcome.Unreachable));
        }
        catch (HttpRequestException ex)
        {
            return (null, new(new AmazonClientException($"{request.Operation} could not reach {baseUri.Host}: {ex.Message}", ex), Retryable: true, AwsCallOutcome.Unreachable));
        }
        catch (IOException ex)
        {
            return (null, new(new AmazonClientException($"{request.Operation} lost its connection: {ex.Message}", ex), Retryable: true, AwsCallOutcome.Unreachable));
        }
    }

    private static Failure ErrorFrom(AwsHttpRequest request, HttpStatusCode status, byte[] body)
    {
        var xml = ParseXml(body);
        var error = xml?.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
        var code = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;
        var text = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value;
        var type = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Type")?.Value;
        var requestId = xml?.Descendants().FirstOrDefault(e => e.Name.LocalName == "RequestId")?.Value;
        if (xml is null && JsonError(body) is { } json)
        {
            // The JSON protocols name the error in "__type" (with or without a namespace before '#').
            (code, text) = json;
        }

        code ??= (int)status >= 500 ? "ServiceUnavailable" : "UnknownError";
        text ??= $"{request.Service} answered {(int)status} {status} to {request.Operation}.";
        var exception = new AmazonServiceException(text, type == "Receiver" || (int)status >= 500 ? ErrorType.Receiver : ErrorType.Sender, code, requestId, status);
        var outcome = AwsCallOutcome.OfError(status, code);
        return new(exception, Retryable: outcome is AwsCallOutcome.Throttled or AwsCallOutcome.ServerError, outcome);
    }

    private static (string? Code, string? Message)? JsonError(byte[] body)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != System.Text.Json.JsonValueKind.Object || !root.TryGetProperty("__type", out var type))
            {
                return null;
            }

            var code = type.GetString();
            code = code?[(code.LastIndexOf('#') + 1)..];
            var message = root.TryGetProperty("message", out var m) || root.TryGetProperty("Message", out m) ? m.GetString() : null;
            return (code, message);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static XDocument? ParseXml(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            return XDocument.Parse(Encoding.UTF8.GetString(body));
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    private static Uri BuildUri(Uri baseUri, AwsHttpRequest request)
    {
        var builder = new StringBuilder(baseUri.GetLeftPart(UriPartial.Authority));
        builder.Append(request.Path);
        for (var i = 0; i < request.Query.Count; i++)
        {
            builder.Append(i == 0 ? '?' : '&')
                .Append(Uri.EscapeDataString(request.Query[i].Key))
                .Append('=')
                .Append(Uri.EscapeDataString(request.Query[i].Value));
        }

        return new Uri(builder.ToString());
    }

    private sealed record Failure(Exception Exception, bool Retryable, string? Outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Service} {Operation} attempt {Attempt} failed ({Problem}); retrying in {DelayMs:0} ms")]
    private static partial void LogRetry(ILogger logger, string service, string operation, int attempt, string problem, double delayMs);
}

/// <summary>Reading AWS XML without caring for namespaces: every service uses its own.</summary>
internal static class AwsXml
{
    public static XElement? Child(this XElement? element, string name) =>
        element?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    public static IEnumerable<XElement> Children(this XElement? element, string name) =>
        element?.Elements().Where(e => e.Name.LocalName == name) ?? [];

    public static string? Text(this XElement? element, string name) => element.Child(name)?.Value;

    public static DateTimeOffset? Time(this XElement? element, string name) =>
        element.Text(name) is { Length: > 0 } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null;

    public static int? Int(this XElement? element, string name) =>
        element.Text(name) is { Length: > 0 } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;

    public static bool? Bool(this XElement? element, string name) =>
        element.Text(name) is { Length: > 0 } text ? bool.Parse(text) : null;

    /// <summary>The members of a query-protocol list: <c>&lt;Name&gt;&lt;member&gt;...&lt;/member&gt;&lt;/Name&gt;</c>.</summary>
    public static IEnumerable<XElement> Members(this XElement? element, string name) => element.Child(name).Children("member");
}
