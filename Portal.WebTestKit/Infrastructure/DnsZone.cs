using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portal.Tests.Infrastructure;

/// <summary>One resource record served by the fixture DNS server.</summary>
public abstract record DnsRecord(string Name);

public sealed record DnsAddressRecord(string Name, IPAddress Address) : DnsRecord(Name);

/// <summary>A TXT record; each part is one character-string (at most 255 bytes), so several parts make a multi-string record.</summary>
public sealed record DnsTextRecord(string Name, IReadOnlyList<string> Parts) : DnsRecord(Name);

public sealed record DnsMailExchangeRecord(string Name, string Exchange, ushort Preference) : DnsRecord(Name);

public sealed record DnsAliasRecord(string Name, string Target) : DnsRecord(Name);

/// <summary>
/// Records for the fixture DNS server (dnsmasq), built with typed methods and rendered to a dnsmasq config.
/// Every name must lie under one of the zone's local domains (default <c>test</c>, RFC 2606): the server answers
/// NXDOMAIN for unknown names there and REFUSED for everything else, and never forwards a query.
/// </summary>
/// <remarks>
/// dnsmasq serves a CNAME only when its target is a name it has records for (for example a TXT, A or another
/// CNAME in this zone); the alias's answer then carries the target's records, as a recursive resolver would.
/// Records have TTL 0 so changed answers are seen at once.
/// </remarks>
public sealed class DnsZone
{
    private readonly List<DnsRecord> records = [];

    /// <param name="localDomains">Domains this server is authoritative for; default <c>test</c>.</param>
    public DnsZone(params string[] localDomains)
    {
        LocalDomains = localDomains.Length == 0 ? ["test"] : [.. localDomains.Select(d => Normalize(d, nameof(localDomains)))];
    }

    public IReadOnlyList<string> LocalDomains { get; }

    public IReadOnlyList<DnsRecord> Records => records;

    public DnsZone A(string name, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"A record {name}: '{address}' is not an IPv4 address (use Aaaa).", nameof(address));
        }

        records.Add(new DnsAddressRecord(CheckName(name, nameof(name)), address));
        return this;
    }

    public DnsZone Aaaa(string name, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            throw new ArgumentException($"AAAA record {name}: '{address}' is not an IPv6 address (use A).", nameof(address));
        }

        records.Add(new DnsAddressRecord(CheckName(name, nameof(name)), address));
        return this;
    }

    /// <summary>Adds one TXT record made of the given character-strings (one part is an ordinary single-string record).</summary>
    public DnsZone Txt(string name, params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var checkedName = CheckName(name, nameof(name));
        if (parts.Length == 0)
        {
            throw new ArgumentException($"TXT record {name}: give at least one string.", nameof(parts));
        }

        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i] ?? throw new ArgumentException($"TXT record {name}: part {i} is null.", nameof(parts));
            if (part.Any(c => c < 0x20 || c > 0x7E))
            {
                throw new ArgumentException(
                    $"TXT record {name}: part {i} has a character outside printable ASCII, which a dnsmasq config cannot carry.",
                    nameof(parts));
            }

            if (part.Length > 255)
            {
                throw new ArgumentException($"TXT record {name}: part {i} is {part.Length} bytes; a DNS character-string holds at most 255.", nameof(parts));
            }
        }

        records.Add(new DnsTextRecord(checkedName, [.. parts]));
        return this;
    }

    public DnsZone Mx(string name, string exchange, ushort preference)
    {
        records.Add(new DnsMailExchangeRecord(CheckName(name, nameof(name)), CheckHostName(exchange, nameof(exchange)), preference));
        return this;
    }

    public DnsZone Cname(string alias, string target)
    {
        var checkedAlias = CheckName(alias, nameof(alias));
        var checkedTarget = CheckHostName(target, nameof(target));
        if (checkedAlias == checkedTarget)
        {
            throw new ArgumentException($"CNAME {alias} points at itself.", nameof(target));
        }

        records.Add(new DnsAliasRecord(checkedAlias, checkedTarget));
        return this;
    }

    /// <summary>The dnsmasq configuration serving these records on the given addresses, port 53.</summary>
    public string RenderDnsmasqConfig(IEnumerable<IPAddress> listenAddresses, string pidFile)
    {
        ArgumentNullException.ThrowIfNull(listenAddresses);
        var config = new StringBuilder();
        config.Append("# Test DNS server: answers only from this file, never forwards.\n");
        config.Append("no-resolv\nno-hosts\nno-poll\nbind-interfaces\nport=53\n");
        config.Append("listen-address=").AppendJoin(',', listenAddresses.Select(a => a.ToString())).Append('\n');
        config.Append("pid-file=").Append(pidFile).Append('\n');
        foreach (var domain in LocalDomains)
        {
            config.Append("local=/").Append(domain).Append("/\n");
        }

        foreach (var record in records)
        {
            switch (record)
            {
                case DnsAddressRecord a:
                    config.Append("host-record=").Append(a.Name).Append(',').Append(a.Address).Append('\n');
                    break;
                case DnsTextRecord txt:
                    config.Append("txt-record=").Append(txt.Name);
                    foreach (var part in txt.Parts)
                    {
                        config.Append(",\"").Append(part.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
                    }

                    config.Append('\n');
                    break;
                case DnsMailExchangeRecord mx:
                    config.Append("mx-host=").Append(mx.Name).Append(',').Append(mx.Exchange).Append(',').Append(mx.Preference).Append('\n');
                    break;
                case DnsAliasRecord cname:
                    config.Append("cname=").Append(cname.Name).Append(',').Append(cname.Target).Append('\n');
                    break;
                default:
                    throw new InvalidOperationException($"Unknown record type {record.GetType().Name}.");
            }
        }

        return config.ToString();
    }

    private string CheckName(string name, string parameter)
    {
        var normalized = Normalize(name, parameter);
        if (!LocalDomains.Any(d => normalized == d || normalized.EndsWith("." + d, StringComparison.Ordinal)))
        {
            throw new ArgumentException(
                $"'{name}' is outside this zone's local domains ({string.Join(", ", LocalDomains)}); " +
                "fixture names must stay under a test domain.", parameter);
        }

        return normalized;
    }

    private static string CheckHostName(string name, string parameter) => Normalize(name, parameter);

    private static string Normalize(string name, string parameter)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A DNS name is empty.", parameter);
        }

        var trimmed = name.TrimEnd('.').ToLowerInvariant();
        if (trimmed.Length > 253)
        {
            throw new ArgumentException($"DNS name '{name}' is longer than 253 characters.", parameter);
        }

        foreach (var label in trimmed.Split('.'))
        {
            if (label.Length is 0 or > 63 || !label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                throw new ArgumentException(
                    $"DNS name '{name}' has an invalid label '{label}' (1-63 letters, digits, '-' or '_').", parameter);
            }
        }

        return trimmed;
    }
}
