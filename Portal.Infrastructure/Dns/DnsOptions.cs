using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Portal.Infrastructure.Dns;

/// <summary>Settings of the <c>Dns</c> section: which resolvers the portal asks (the system's when empty).</summary>
public sealed class DnsOptions : IValidatableObject
{
    public const string SectionName = "Dns";

    /// <summary>Resolvers as <c>IP</c> or <c>IP:PORT</c>; empty uses the machine's resolvers.</summary>
    public IList<string> Servers { get; init; } = [];

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        Endpoints(out var bad);
        if (bad is not null)
        {
            yield return new ValidationResult($"Dns:Servers must list resolvers as IP or IP:PORT, e.g. 127.0.0.1:5353; got '{bad}'.");
        }
    }

    /// <summary>Parses <see cref="Servers"/>; returns the first entry that is not an endpoint, if any.</summary>
    public IReadOnlyList<IPEndPoint> Endpoints(out string? bad)
    {
        var endpoints = new List<IPEndPoint>();
        bad = null;
        foreach (var server in Servers)
        {
            if (IPEndPoint.TryParse(server, out var endpoint))
            {
                endpoints.Add(endpoint.Port == 0 ? new IPEndPoint(endpoint.Address, 53) : endpoint);
            }
            else
            {
                bad ??= server;
            }
        }

        return endpoints;
    }
}
