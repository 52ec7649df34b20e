using DnsClient;
using DnsClient.Protocol;

namespace Portal.Infrastructure.Dns;

/// <summary>The MX hosts of a mail domain, best preference first, or why they could not be read.</summary>
public sealed record MxLookupResult(IReadOnlyList<string> Hosts, string? Problem);

/// <summary>Looks up a domain's MX records, so the MTA-STS form can offer them as mx patterns.</summary>
public sealed class MxLookup(ILookupClient dns)
{
    public async Task<MxLookupResult> LookupAsync(string domain, CancellationToken ct = default)
    {
        try
        {
            var response = await dns.QueryAsync(domain, QueryType.MX, QueryClass.IN, ct);
            if (response.HasError)
            {
                return new([], response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain
                    ? $"The domain '{domain}' does not exist in DNS."
                    : $"DNS answered {response.ErrorMessage} for '{domain}'.");
            }

            var hosts = response.Answers.OfType<MxRecord>()
                .OrderBy(mx => mx.Preference)
                .Select(mx => mx.Exchange.Value.TrimEnd('.').ToLowerInvariant())
                .Where(host => host.Length > 0)
                .Distinct(StringComparer.Ordinal)
                .ToList();
            return hosts.Count == 0 ? new([], $"'{domain}' has no MX records.") : new(hosts, null);
        }
        catch (DnsResponseException ex)
        {
            return new([], $"DNS did not answer for '{domain}': {ex.Message}");
        }
    }

    public static ILookupClient CreateClient(DnsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endpoints = options.Endpoints(out _);
        var clientOptions = endpoints.Count > 0 ? new LookupClientOptions([.. endpoints]) : new LookupClientOptions();
        clientOptions.Timeout = options.Timeout;
        clientOptions.UseCache = false;
        clientOptions.Retries = 1;
        clientOptions.ThrowDnsErrors = false;
        return new LookupClient(clientOptions);
    }
}
