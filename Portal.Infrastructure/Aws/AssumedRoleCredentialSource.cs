using System.Globalization;
using System.Text;
using Amazon.Runtime;
using Portal.Core.Accounts;

namespace Portal.Infrastructure.Aws;

/// <summary>
/// The credentials of a registered account's role: STS AssumeRole (Query API, signed with the portal's own credentials)
/// with the account's external id, kept until shortly before they expire and then asked for again, so each call is
/// signed with a live session and STS is asked about once an hour per account, not once per call.
/// </summary>
public sealed class AssumedRoleCredentialSource(AwsHttpPipeline sts, TargetAccount account, TimeProvider clock) : IAwsCredentialSource, IDisposable
{
    /// <summary>A session this close to its end is renewed first: a call signed now may still be in flight or retried then.</summary>
    public static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(5);

    /// <summary>One hour: the bootstrap template's MaxSessionDuration for the portal role.</summary>
    public const int SessionSeconds = 3600;

    public const string SessionName = "portal";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (ImmutableCredentials Credentials, DateTimeOffset Expiration)? _session;

    /// <summary>How many times STS was asked (for the refresh test and the log).</summary>
    public int AssumeCount { get; private set; }

    public DateTimeOffset? Expiration => _session?.Expiration;

    public async Task<AwsCredentialResult> ResolveAsync(CancellationToken ct = default)
    {
        if (_session is { } live && clock.GetUtcNow() < live.Expiration - RefreshBefore)
        {
            return new(live.Credentials, null);
        }

        await _gate.WaitAsync(ct);
        try
        {
            if (_session is { } fresh && clock.GetUtcNow() < fresh.Expiration - RefreshBefore)
            {
                return new(fresh.Credentials, null);
            }

            _session = await AssumeAsync(ct);
            AssumeCount++;
            return new(_session.Value.Credentials, null);
        }
        catch (AmazonServiceException ex)
        {
            return new(null, $"The role {account.RoleArn} of account '{account.Name}' could not be assumed ({ex.ErrorCode}: {ex.Message}). Check the role ARN and the external id against the account's bootstrap stack.");
        }
        catch (AmazonClientException ex)
        {
            return new(null, $"The role {account.RoleArn} of account '{account.Name}' could not be assumed: {ex.Message}");
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<(ImmutableCredentials, DateTimeOffset)> AssumeAsync(CancellationToken ct)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("Action", "AssumeRole"),
            new("Version", "2011-06-15"),
            new("RoleArn", account.RoleArn),
            new("RoleSessionName", SessionName),
            new("ExternalId", account.ExternalId),
            new("DurationSeconds", SessionSeconds.ToString(CultureInfo.InvariantCulture)),
        };
        var body = string.Join("&", form.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        var response = await sts.SendAsync(new AwsHttpRequest("sts", account.Region, "AssumeRole", HttpMethod.Post, "/")
        {
            Body = Encoding.UTF8.GetBytes(body),
            ContentType = "application/x-www-form-urlencoded; charset=utf-8",
        }, ct);
        var credentials = response.Xml?.Root.Child("AssumeRoleResult").Child("Credentials")
            ?? throw new AmazonClientException("STS answered AssumeRole without credentials.");
        var expiration = credentials.Time("Expiration") ?? throw new AmazonClientException("STS answered AssumeRole without an expiration.");
        return (new ImmutableCredentials(credentials.Text("AccessKeyId"), credentials.Text("SecretAccessKey"), credentials.Text("SessionToken")), expiration);
    }

    public void Dispose() => _gate.Dispose();
}
