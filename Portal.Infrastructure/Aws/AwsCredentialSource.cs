using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;

namespace Portal.Infrastructure.Aws;

/// <summary>Credentials for signing, or null with the reason when none can be found (the portal then plans only).</summary>
public interface IAwsCredentialSource
{
    Task<AwsCredentialResult> ResolveAsync(CancellationToken ct = default);
}

public sealed record AwsCredentialResult(ImmutableCredentials? Credentials, string? Problem)
{
    public bool Found => Credentials is not null;
}

/// <summary>
/// The AWS SDK's credential chain: explicit credentials if configured, else the named profile, else the default chain
/// (environment, web identity, shared files, container and instance metadata). Refreshing credentials (roles, SSO)
/// are refreshed by the SDK objects themselves; this class only keeps the resolved source.
/// </summary>
public sealed class SdkCredentialSource : IAwsCredentialSource, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly AWSCredentials? _explicit;
    private readonly string? _profile;
    private readonly string? _profilesLocation;
    private AWSCredentials? _source;

    /// <param name="profilesLocation">A shared credentials file other than the default (<c>AWS:ProfilesLocation</c>).</param>
    public SdkCredentialSource(AWSCredentials? explicitCredentials, string? profile, string? profilesLocation = null)
    {
        _explicit = explicitCredentials;
        _profile = profile;
        _profilesLocation = profilesLocation;
        _source = explicitCredentials;
    }

    public async Task<AwsCredentialResult> ResolveAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_source is null)
            {
                var (source, problem) = FindSource();
                if (source is null)
                {
                    return new(null, problem);
                }

                _source = source;
            }

            var credentials = await _source.GetCredentialsAsync();
            return credentials is null || string.IsNullOrEmpty(credentials.AccessKey)
                ? new(null, "The AWS credential source returned no access key.")
                : new(credentials, null);
        }
        catch (AmazonClientException ex)
        {
            // A source that stops working (expired SSO session, revoked role) is looked up again next time.
            _source = _explicit;
            return new(null, FirstLine(ex.Message));
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private (AWSCredentials? Source, string? Problem) FindSource()
    {
        if (!string.IsNullOrWhiteSpace(_profile))
        {
            var chain = string.IsNullOrWhiteSpace(_profilesLocation) ? new CredentialProfileStoreChain() : new CredentialProfileStoreChain(_profilesLocation);
            return chain.TryGetAWSCredentials(_profile, out var fromProfile)
                ? (fromProfile, null)
                : (null, $"AWS:Profile names '{_profile}', which no shared credentials or config file defines.");
        }

        try
        {
            return (new DefaultAWSCredentialsIdentityResolver().ResolveIdentity(null), null);
        }
        catch (AmazonClientException ex)
        {
            return (null, FirstLine(ex.Message));
        }
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
