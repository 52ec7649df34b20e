using System.Collections.Concurrent;
using System.Security.Cryptography;
using Portal.LocalCloud.Wire;

namespace Portal.LocalCloud.Sts;

/// <summary>A session STS handed out: its key pair, token, account and end.</summary>
public sealed record StsSession(string AccessKeyId, string SecretAccessKey, string SessionToken, string AccountId, string RoleArn, DateTimeOffset Expiration);

/// <summary>
/// AWS STS AssumeRole for the local cloud: roles of other accounts (as an administrator makes them with
/// <c>templates/bootstrap.yaml</c>, whose trust policy requires the external id) and the sessions they give, each of
/// which signs requests into its own account (RULES.md, STS).
/// </summary>
public sealed class StsService(TimeProvider clock)
{
    /// <summary>The principal the local cloud's own key pair stands for, named in AWS's AccessDenied message.</summary>
    public const string CallerArn = "arn:aws:iam::123456789012:user/portal";

    private readonly ConcurrentDictionary<string, string> _roles = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StsSession> _sessions = new(StringComparer.Ordinal);

    /// <summary>Makes a role whose trust policy lets the local cloud's own principal assume it with this external id.</summary>
    public void PutRole(string roleArn, string externalId) => _roles[roleArn] = externalId;

    /// <summary>Makes the role unless it exists (its external id then stays what it was).</summary>
    public bool AddRoleIfAbsent(string roleArn, string externalId) => _roles.TryAdd(roleArn, externalId);

    /// <summary>The session a request's access key belongs to, if STS issued it.</summary>
    public StsSession? Session(string accessKeyId) => _sessions.GetValueOrDefault(accessKeyId);

    public AwsResult Handle(string operation, Dictionary<string, object?> input) => operation switch
    {
        "AssumeRole" => AssumeRole(input),
        _ => AwsResult.Fail(400, "InvalidAction", $"The local cloud does not implement STS {operation}."),
    };

    private AwsResult AssumeRole(Dictionary<string, object?> input)
    {
        var roleArn = input.Str("RoleArn") ?? "";
        var externalId = input.Str("ExternalId");

        // AWS answers a role that does not exist, a trust policy that does not trust the caller, and a missing or wrong
        // sts:ExternalId alike, so a caller cannot tell which one it got wrong.
        if (!_roles.TryGetValue(roleArn, out var expected) || externalId != expected)
        {
            return AwsResult.Fail(403, "AccessDenied", $"User: {CallerArn} is not authorized to perform: sts:AssumeRole on resource: {roleArn}");
        }

        var seconds = input.TryGetValue("DurationSeconds", out var d) && d is not null ? Convert.ToInt32(d, System.Globalization.CultureInfo.InvariantCulture) : 3600;
        var account = roleArn.Split(':')[4];
        var session = new StsSession("ASIA" + Random(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), Random(40, Alphabet), Random(64, Alphabet), account, roleArn,
            clock.GetUtcNow().AddSeconds(seconds));
        _sessions[session.AccessKeyId] = session;
        var roleName = roleArn[(roleArn.LastIndexOf('/') + 1)..];
        var sessionName = input.Str("RoleSessionName") ?? "";
        return AwsResult.Ok(Tree.Of(
            ("Credentials", Tree.Of(("AccessKeyId", session.AccessKeyId), ("SecretAccessKey", session.SecretAccessKey), ("SessionToken", session.SessionToken), ("Expiration", session.Expiration))),
            ("AssumedRoleUser", Tree.Of(("AssumedRoleId", "AROA" + Random(17, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") + ":" + sessionName), ("Arn", $"arn:aws:sts::{account}:assumed-role/{roleName}/{sessionName}")))));
    }

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private static string Random(int length, string alphabet) => RandomNumberGenerator.GetString(alphabet, length);
}
