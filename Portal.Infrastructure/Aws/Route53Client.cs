namespace Portal.Infrastructure.Aws.Route53;

public sealed record HostedZone(string Id, string Name, bool PrivateZone, long? ResourceRecordSetCount)
{
    /// <summary>The id without the <c>/hostedzone/</c> prefix the API puts in front of it.</summary>
    public string ShortId => Id.StartsWith("/hostedzone/", StringComparison.Ordinal) ? Id["/hostedzone/".Length..] : Id;
}

public sealed record ListHostedZonesByNameRequest
{
    public string? DNSName { get; init; }

    public string? HostedZoneId { get; init; }

    public int? MaxItems { get; init; }
}

public sealed record ListHostedZonesByNameResponse(IReadOnlyList<HostedZone> HostedZones, bool IsTruncated, string? NextDNSName, string? NextHostedZoneId);

public sealed record ListHostedZonesRequest
{
    /// <summary>The <c>NextMarker</c> of the previous page; null for the first.</summary>
    public string? Marker { get; init; }

    public int? MaxItems { get; init; }
}

public sealed record ListHostedZonesResponse(IReadOnlyList<HostedZone> HostedZones, bool IsTruncated, string? NextMarker);

public sealed record AliasTarget(string HostedZoneId, string DNSName, bool EvaluateTargetHealth);

public sealed record ResourceRecordSet(string Name, string Type, long? TTL, IReadOnlyList<string> ResourceRecords, AliasTarget? AliasTarget, string? SetIdentifier);

public sealed record ListResourceRecordSetsRequest
{
    public required string HostedZoneId { get; init; }

    public string? StartRecordName { get; init; }

    public string? StartRecordType { get; init; }

    public string? StartRecordIdentifier { get; init; }

    public int? MaxItems { get; init; }
}

public sealed record ListResourceRecordSetsResponse(
    IReadOnlyList<ResourceRecordSet> ResourceRecordSets, bool IsTruncated, string? NextRecordName, string? NextRecordType, string? NextRecordIdentifier);

public sealed record GetHostedZoneRequest(string Id);

public sealed record GetHostedZoneResponse(HostedZone HostedZone);

/// <summary>The Route53 operations the portal uses, named as on <c>IAmazonRoute53</c>.</summary>
public interface IRoute53Client
{
    Task<ListHostedZonesByNameResponse> ListHostedZonesByNameAsync(ListHostedZonesByNameRequest request, CancellationToken ct = default);

    /// <summary>One page of every hosted zone of the account; <c>NextMarker</c> continues it while <c>IsTruncated</c>.</summary>
    Task<ListHostedZonesResponse> ListHostedZonesAsync(ListHostedZonesRequest request, CancellationToken ct = default);

    Task<ListResourceRecordSetsResponse> ListResourceRecordSetsAsync(ListResourceRecordSetsRequest request, CancellationToken ct = default);

    /// <summary>One zone by id; an unknown id fails with <c>NoSuchHostedZone</c>.</summary>
    Task<GetHostedZoneResponse> GetHostedZoneAsync(GetHostedZoneRequest request, CancellationToken ct = default);
}

/// <summary>Route53 over REST-XML, version 2013-04-01. A global service: signed for us-east-1.</summary>
public sealed class Route53Client(AwsHttpPipeline pipeline) : IRoute53Client
{
    public const string Service = "route53";
    public const string SigningRegion = "us-east-1";
    private const string Version = "2013-04-01";

    public async Task<ListHostedZonesByNameResponse> ListHostedZonesByNameAsync(ListHostedZonesByNameRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = new List<KeyValuePair<string, string>>();
        AddIf(query, "dnsname", request.DNSName);
        AddIf(query, "hostedzoneid", request.HostedZoneId);
        AddIf(query, "maxitems", request.MaxItems?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var response = await pipeline.SendAsync(new AwsHttpRequest(Service, SigningRegion, "ListHostedZonesByName", HttpMethod.Get, $"/{Version}/hostedzonesbyname") { Query = query }, ct);
        var root = response.Xml?.Root;
        var zones = root.Child("HostedZones").Children("HostedZone").Select(z => new HostedZone(
            z.Text("Id") ?? "", z.Text("Name") ?? "", z.Child("Config").Bool("PrivateZone") ?? false,
            z.Text("ResourceRecordSetCount") is { } count ? long.Parse(count, System.Globalization.CultureInfo.InvariantCulture) : null)).ToList();
        return new(zones, root.Bool("IsTruncated") ?? false, root.Text("NextDNSName"), root.Text("NextHostedZoneId"));
    }

    public async Task<ListHostedZonesResponse> ListHostedZonesAsync(ListHostedZonesRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = new List<KeyValuePair<string, string>>();
        AddIf(query, "marker", request.Marker);
        AddIf(query, "maxitems", request.MaxItems?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var response = await pipeline.SendAsync(new AwsHttpRequest(Service, SigningRegion, "ListHostedZones", HttpMethod.Get, $"/{Version}/hostedzone") { Query = query }, ct);
        var root = response.Xml?.Root;
        var zones = root.Child("HostedZones").Children("HostedZone").Select(z => new HostedZone(
            z.Text("Id") ?? "", z.Text("Name") ?? "", z.Child("Config").Bool("PrivateZone") ?? false,
            z.Text("ResourceRecordSetCount") is { } count ? long.Parse(count, System.Globalization.CultureInfo.InvariantCulture) : null)).ToList();
        return new(zones, root.Bool("IsTruncated") ?? false, root.Text("NextMarker"));
    }

    public async Task<ListResourceRecordSetsResponse> ListResourceRecordSetsAsync(ListResourceRecordSetsRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var zone = new HostedZone(request.HostedZoneId, "", false, null).ShortId;
        var query = new List<KeyValuePair<string, string>>();
        AddIf(query, "name", request.StartRecordName);
        AddIf(query, "type", request.StartRecordType);
        AddIf(query, "identifier", request.StartRecordIdentifier);
        AddIf(query, "maxitems", request.MaxItems?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var response = await pipeline.SendAsync(new AwsHttpRequest(Service, SigningRegion, "ListResourceRecordSets", HttpMethod.Get, $"/{Version}/hostedzone/{Uri.EscapeDataString(zone)}/rrset") { Query = query }, ct);
        var root = response.Xml?.Root;
        var sets = root.Child("ResourceRecordSets").Children("ResourceRecordSet").Select(s => new ResourceRecordSet(
            s.Text("Name") ?? "",
            s.Text("Type") ?? "",
            s.Text("TTL") is { } ttl ? long.Parse(ttl, System.Globalization.CultureInfo.InvariantCulture) : null,
            s.Child("ResourceRecords").Children("ResourceRecord").Select(r => r.Text("Value") ?? "").ToList(),
            s.Child("AliasTarget") is { } alias ? new AliasTarget(alias.Text("HostedZoneId") ?? "", alias.Text("DNSName") ?? "", alias.Bool("EvaluateTargetHealth") ?? false) : null,
            s.Text("SetIdentifier"))).ToList();
        return new(sets, root.Bool("IsTruncated") ?? false, root.Text("NextRecordName"), root.Text("NextRecordType"), root.Text("NextRecordIdentifier"));
    }

    public async Task<GetHostedZoneResponse> GetHostedZoneAsync(GetHostedZoneRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var zone = new HostedZone(request.Id, "", false, null).ShortId;
        var response = await pipeline.SendAsync(new AwsHttpRequest(Service, SigningRegion, "GetHostedZone", HttpMethod.Get, $"/{Version}/hostedzone/{Uri.EscapeDataString(zone)}"), ct);
        var z = response.Xml?.Root.Child("HostedZone");
        return new(new HostedZone(
            z.Text("Id") ?? "", z.Text("Name") ?? "", z.Child("Config").Bool("PrivateZone") ?? false,
            z.Text("ResourceRecordSetCount") is { } count ? long.Parse(count, System.Globalization.CultureInfo.InvariantCulture) : null));
    }

    private static void AddIf(List<KeyValuePair<string, string>> query, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            query.Add(new(key, value));
        }
    }
}
