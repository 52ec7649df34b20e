using System.Net;
using DnsClient;
using DnsClient.Protocol;
using Portal.Core.Health;

namespace Portal.Infrastructure.Health;

public enum DnsOutcome
{
    Found,
    NoRecords,
    NameDoesNotExist,
    Failed,
}

/// <summary>Records of one type at a name: TXT records with their character-strings joined, addresses, or MX hosts.</summary>
public sealed record DnsAnswer<T>(DnsOutcome Outcome, IReadOnlyList<T> Records, string? Problem, IReadOnlyList<string> CnameChain);

/// <summary>The DNS questions the checks ask, through the configured resolvers (DnsClient), never the system resolver.</summary>
public sealed class DnsQueries(ILookupClient dns)
{
    /// <summary>TXT records at <paramref name="name"/>; each record's strings are joined without spaces (RFC 8461 section 3.1), CNAMEs followed.</summary>
    public Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken ct) =>
        QueryAsync(name, QueryType.TXT, answers => answers.OfType<TxtRecord>().Select(t => string.Concat(t.Text)).ToList(), ct);

    public Task<DnsAnswer<string>> MxAsync(string name, CancellationToken ct) =>
        QueryAsync(name, QueryType.MX, answers => answers.OfType<MxRecord>().OrderBy(m => m.Preference)
            .Select(m => m.Exchange.Value.TrimEnd('.').ToLowerInvariant()).ToList(), ct);

    /// <summary>TLSA records at <paramref name="name"/> (DANE, RFC 6698), each as "usage selector matching-type data".</summary>
    public Task<DnsAnswer<string>> TlsaAsync(string name, CancellationToken ct) =>
        QueryAsync(name, QueryType.TLSA, answers => answers.OfType<TlsaRecord>()
            .Select(t => $"{(int)t.CertificateUsage} {(int)t.Selector} {(int)t.MatchingType} {t.CertificateAssociationDataAsString}").ToList(), ct);

    /// <summary>The CNAME target at exactly <paramref name="name"/> (not a chain followed from elsewhere), lower case without the final dot.</summary>
    public Task<DnsAnswer<string>> CnameAsync(string name, CancellationToken ct) =>
        QueryAsync(name, QueryType.CNAME, answers => answers.OfType<CNameRecord>()
            .Where(c => string.Equals(c.DomainName.Value.TrimEnd('.'), name.TrimEnd('.'), StringComparison.OrdinalIgnoreCase))
            .Select(c => c.CanonicalName.Value.TrimEnd('.').ToLowerInvariant()).ToList(), ct);

    public Task<DnsAnswer<IPAddress>> AAsync(string name, CancellationToken ct) =>
        QueryAsync(name, QueryType.A, answers => answers.OfType<ARecord>().Select(a => a.Address).ToList(), ct);

    public Task<DnsAnswer<IPAddress>> AaaaAsync(string name, CancellationToken ct) =>
        QueryAsync(name, QueryType.AAAA, answers => answers.OfType<AaaaRecord>().Select(a => a.Address).ToList(), ct);

    /// <summary>Every address of a host, IPv4 first, for connecting to it.</summary>
    public async Task<IReadOnlyList<IPAddress>> AddressesAsync(string host, CancellationToken ct)
    {
        var v4 = AAsync(host, ct);
        var v6 = AaaaAsync(host, ct);
        return [.. (await v4).Records, .. (await v6).Records];
    }

    private async Task<DnsAnswer<T>> QueryAsync<T>(string name, QueryType type, Func<IEnumerable<DnsResourceRecord>, IReadOnlyList<T>> select, CancellationToken ct)
    {
        try
        {
            var response = await dns.QueryAsync(name, type, QueryClass.IN, ct);
            var cnames = response.Answers.OfType<CNameRecord>().Select(c => $"{c.DomainName.Value.TrimEnd('.')} CNAME {c.CanonicalName.Value.TrimEnd('.')}").ToList();
            if (response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain)
            {
                return new(DnsOutcome.NameDoesNotExist, [], $"{name} does not exist (NXDOMAIN).", cnames);
            }

            if (response.HasError)
            {
                return new(DnsOutcome.Failed, [], $"DNS answered {response.Header.ResponseCode} for {type} {name}.", cnames);
            }

            var records = select(response.Answers);
            return records.Count == 0
                ? new(DnsOutcome.NoRecords, [], $"{name} has no {type} records.", cnames)
                : new(DnsOutcome.Found, records, null, cnames);
        }
        catch (DnsResponseException ex)
        {
            return new(DnsOutcome.Failed, [], $"DNS gave no answer for {type} {name}: {ex.Message}", []);
        }
    }
}
