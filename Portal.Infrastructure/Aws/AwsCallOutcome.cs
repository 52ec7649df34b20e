using System.Net;
using Amazon.Runtime;

namespace Portal.Infrastructure.Aws;

/// <summary>
/// The <c>outcome</c> tag of <c>portal.aws.calls</c>: how an AWS API call ended after its retries. A small fixed set,
/// so the series stay few whatever error codes AWS sends.
/// </summary>
public static class AwsCallOutcome
{
    public const string Success = "success";

    /// <summary>AWS kept asking to slow down (throttling codes, 429).</summary>
    public const string Throttled = "throttled";

    /// <summary>AWS refused the call (4xx): validation, access denied, not found.</summary>
    public const string ClientError = "client_error";

    /// <summary>AWS failed (5xx or a transient error code).</summary>
    public const string ServerError = "server_error";

    /// <summary>No answer: the connection failed or the call took too long.</summary>
    public const string Unreachable = "unreachable";

    /// <summary>Error codes AWS services use for "slow down"; all are safe to retry.</summary>
    internal static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException", "TransactionInProgressException", "ProvisionedThroughputExceededException",
    };

    /// <summary>Error codes of transient trouble on AWS's side, sent with a 4xx status.</summary>
    internal static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "RequestTimeout", "RequestTimeoutException", "InternalFailure", "InternalError", "ServiceUnavailable",
    };

    public static string OfError(HttpStatusCode status, string? code) =>
        (int)status == 429 || (code is not null && ThrottlingCodes.Contains(code)) ? Throttled
        : (int)status >= 500 || (code is not null && TransientCodes.Contains(code)) ? ServerError
        : ClientError;

    /// <summary>An exception from an AWS client: an error answer is classified by status and code, anything else had no answer.</summary>
    public static string Of(Exception exception) => exception switch
    {
        AmazonServiceException { StatusCode: not 0 } answered => OfError(answered.StatusCode, answered.ErrorCode),
        _ => Unreachable,
    };
}
