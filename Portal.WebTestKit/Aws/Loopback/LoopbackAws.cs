using Amazon.Runtime;
using Microsoft.AspNetCore.Http;
using Portal.LocalCloud;
using Portal.LocalCloud.CloudFormation;
using Portal.LocalCloud.CloudFront;
using Portal.LocalCloud.Providers;
using Portal.LocalCloud.Route53;
using Portal.LocalCloud.S3;
using Portal.LocalCloud.Wire;

namespace Portal.Tests.Aws.Loopback;

/// <summary>One call the endpoint accepted: which service, operation and signing region, and what fault it got.</summary>
public sealed record LoopbackCall(string Service, string Operation, string Region, FaultKind? Fault)
{
    /// <summary>What the call asked for, as the operation's model reads it (to map it to an IAM action and resource).</summary>
    public IReadOnlyDictionary<string, object?> Input { get; init; } = new Dictionary<string, object?>();
}

public enum FaultKind
{
    Throttling,
    InternalError,
    Unavailable,
    SlowResponse,
    DropBeforeProcessing,
    DropAfterProcessing,
}

/// <summary>
/// Decides, per call, whether to misbehave and how; seeded so a failing run can be replayed. It is the tests' layer
/// on top of the local cloud (<see cref="ICallInterceptor"/>): the product's local cloud never misbehaves on purpose.
/// </summary>
public sealed class FaultInjector(int seed) : ICallInterceptor
{
    private readonly Random _random = new(seed);
    private readonly System.Collections.Concurrent.ConcurrentQueue<LoopbackCall> _calls = new();

    /// <summary>Share of calls that get a fault, 0 to 1.</summary>
    public double Rate { get; set; }

    /// <summary>How long a slow answer waits before it is sent (after the call has been carried out).</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(2);

    public IReadOnlyList<LoopbackCall> Calls => _calls.ToList();

    public FaultKind? Next()
    {
        lock (_random)
        {
            if (_random.NextDouble() >= Rate)
            {
                return null;
            }

            var kinds = Enum.GetValues<FaultKind>();
            return kinds[_random.Next(kinds.Length)];
        }
    }

    public async Task<AwsResult?> InvokeAsync(LocalCloudCall call, HttpContext context, Func<AwsResult> proceed)
    {
        var fault = Next();
        _calls.Enqueue(new LoopbackCall(call.Service, call.Operation, call.Region, fault) { Input = call.Input });
        switch (fault)
        {
            case FaultKind.Throttling:
                return call.Service == "s3"
                    ? AwsResult.Fail(503, "SlowDown", "Please reduce your request rate.")
                    : AwsResult.Fail(400, "Throttling", "Rate exceeded");
            case FaultKind.InternalError:
                return AwsResult.Fail(500, "InternalFailure", "We encountered an internal error. Please try again.");
            case FaultKind.Unavailable:
                return AwsResult.Fail(503, "ServiceUnavailable", "Service is unavailable. Please try again.");
            case FaultKind.DropBeforeProcessing:
                context.Abort();
                return null;
        }

        var result = proceed();
        if (fault == FaultKind.DropAfterProcessing)
        {
            context.Abort();
            return null;
        }

        if (fault == FaultKind.SlowResponse)
        {
            await Task.Delay(SlowDelay, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            if (context.RequestAborted.IsCancellationRequested)
            {
                return null;
            }
        }

        return result;
    }
}

/// <summary>
/// The local cloud's AWS endpoint (<see cref="LocalCloudEndpoint"/>, the same one sandbox mode runs) with the tests'
/// fault layer on top, reached by the portal through <c>AWS:ServiceURL</c>. Every test expects no
/// <see cref="Violations"/>.
/// </summary>
public sealed class LoopbackAws : IAsyncDisposable
{
    public const string AccessKey = LocalCloudEndpointOptions.DefaultAccessKey;
    public const string SecretKey = LocalCloudEndpointOptions.DefaultSecretKey;

    private readonly LocalCloudEndpoint _endpoint;

    private LoopbackAws(LocalCloudEndpoint endpoint, FaultInjector faults)
    {
        _endpoint = endpoint;
        Faults = faults;
    }

    public Uri ServiceUrl => _endpoint.ServiceUrl;

    public LocalCloudEndpoint Endpoint => _endpoint;

    public CloudFormationService CloudFormation => _endpoint.CloudFormation;

    public Route53Service Route53 => _endpoint.Route53;

    public CloudFrontService CloudFront => _endpoint.CloudFront;

    public S3Service S3 => _endpoint.S3;

    public FaultInjector Faults { get; }

    public IReadOnlyList<string> Violations => _endpoint.Violations;

    public IReadOnlyList<LoopbackCall> Calls => Faults.Calls;

    public long RequestCount => _endpoint.RequestCount;

    public static BasicAWSCredentials Credentials => new(AccessKey, SecretKey);

    public IReadOnlyDictionary<string, int> CallsByOperation() =>
        Calls.GroupBy(c => c.Operation).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());

    /// <param name="quotas">The account's quotas: AWS's defaults unless the test raised one, as an account owner asks AWS to.</param>
    public static async Task<LoopbackAws> StartAsync(TimeProvider? clock = null, LifecycleTimings? timings = null, int seed = 1, LocalCloudQuotas? quotas = null)
    {
        var faults = new FaultInjector(seed);
        var endpoint = await LocalCloudEndpoint.StartAsync(new LocalCloudEndpointOptions
        {
            Clock = clock ?? TimeProvider.System,
            Timings = timings ?? new LifecycleTimings(),
            Interceptor = faults,
            Quotas = quotas ?? new LocalCloudQuotas(),
        });
        return new LoopbackAws(endpoint, faults);
    }

    public ValueTask DisposeAsync() => _endpoint.DisposeAsync();
}
