using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.LocalCloud.Route53;

/// <summary>Route53 hosted zones and record sets, listed in Route53's order with its paging.</summary>
public sealed class Route53Service
{
    private readonly object _gate = new();
    private readonly List<Zone> _zones = [];

    public string AddZone(string name, bool isPrivate = false)
    {
        lock (_gate)
        {
            var id = "Z" + (_zones.Count + 1).ToString("D6", CultureInfo.InvariantCulture) + "LOOPBACK";
            _zones.Add(new Zone(id, Dot(name), isPrivate, []));
            return id;
        }
    }

    public void AddRecord(string zoneId, string name, string type, string? value = null, string? aliasTarget = null)
    {
        lock (_gate)
        {
            _zones.Single(z => z.Id == zoneId).Records.Add(new Record(Dot(name), type, value, aliasTarget));
        }
    }

    /// <summary>Every hosted zone with its record sets, for the DNS server; names end with a dot.</summary>
    public IReadOnlyList<HostedZoneView> Zones()
    {
        lock (_gate)
        {
            return _zones.Select(z => new HostedZoneView(z.Id, z.Name, z.Private,
                z.Records.Select(r => new RecordSetView(r.Name, r.Type, r.Alias is null ? 300 : null, r.Value is null ? [] : [r.Value], r.Alias)).ToList())).ToList();
        }
    }

    /// <summary>Every hosted zone with its record sets, as JSON.</summary>
    public JsonObject SaveState()
    {
        lock (_gate)
        {
            return new JsonObject { ["Zones"] = JsonSerializer.SerializeToNode(_zones) };
        }
    }

    /// <summary>Replaces every hosted zone with the saved ones.</summary>
    public void RestoreState(JsonObject state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var zones = state["Zones"].Deserialize<List<Zone>>() ?? throw new ArgumentException("Not a saved Route53 state.", nameof(state));
        lock (_gate)
        {
            _zones.Clear();
            _zones.AddRange(zones);
        }
    }

    public AwsResult Handle(string operation, Dictionary<string, object?> input)
    {
        lock (_gate)
        {
            return operation switch
            {
                "ListHostedZonesByName" => ListZones(input),
                "ListResourceRecordSets" => ListRecords(input),
                _ => AwsResult.Fail(400, "InvalidAction", $"The loopback endpoint does not implement {operation}."),
            };
        }
    }

    private AwsResult ListZones(Dictionary<string, object?> input)
    {
        var max = int.TryParse(input.Str("MaxItems"), out var m) ? m : 100;
        var ordered = _zones.OrderBy(z => Reversed(z.Name), StringComparer.Ordinal).ThenBy(z => z.Id, StringComparer.Ordinal).ToList();
        var start = input.Str("DNSName") is { } dns ? Reversed(Dot(dns)) : "";
        var from = ordered.Where(z => string.CompareOrdinal(Reversed(z.Name), start) >= 0).ToList();
        var page = from.Take(max).ToList();
        var truncated = from.Count > max;
        return AwsResult.Ok(Tree.Of(
            ("HostedZones", page.Select(z => (object?)Tree.Of(
                ("Id", "/hostedzone/" + z.Id), ("Name", z.Name), ("CallerReference", "ref-" + z.Id),
                ("Config", Tree.Of(("PrivateZone", z.Private))), ("ResourceRecordSetCount", (long)z.Records.Count))).ToList()),
            ("DNSName", input.Str("DNSName")), ("HostedZoneId", input.Str("HostedZoneId")),
            ("IsTruncated", truncated), ("MaxItems", max.ToString(CultureInfo.InvariantCulture)),
            ("NextDNSName", truncated ? from[max].Name : null), ("NextHostedZoneId", truncated ? from[max].Id : null)));
    }

    private AwsResult ListRecords(Dictionary<string, object?> input)
    {
        var zone = _zones.FirstOrDefault(z => z.Id == input.Str("HostedZoneId"));
        if (zone is null)
        {
            return AwsResult.Fail(404, "NoSuchHostedZone", $"No hosted zone found with ID: {input.Str("HostedZoneId")}");
        }

        var max = int.TryParse(input.Str("MaxItems"), out var m) ? m : 300;
        var ordered = zone.Records.OrderBy(r => Reversed(r.Name), StringComparer.Ordinal).ThenBy(r => r.Type, StringComparer.Ordinal).ToList();
        var startName = input.Str("StartRecordName") is { } n ? Reversed(Dot(n)) : "";
        var startType = input.Str("StartRecordType") ?? "";
        var from = ordered.Where(r => string.CompareOrdinal(Reversed(r.Name), startName) > 0
            || (Reversed(r.Name) == startName && string.CompareOrdinal(r.Type, startType) >= 0)).ToList();
        var page = from.Take(max).ToList();
        var truncated = from.Count > max;
        return AwsResult.Ok(Tree.Of(
            ("ResourceRecordSets", page.Select(r => (object?)Tree.Of(
                ("Name", r.Name), ("Type", r.Type),
                ("TTL", r.Alias is null ? 300L : null),
                ("ResourceRecords", r.Value is null ? null : new List<object?> { Tree.Of(("Value", r.Value)) }),
                ("AliasTarget", r.Alias is null ? null : Tree.Of(("HostedZoneId", "Z2FDTNDATAQYW2"), ("DNSName", r.Alias), ("EvaluateTargetHealth", false))))).ToList()),
            ("IsTruncated", truncated), ("MaxItems", max.ToString(CultureInfo.InvariantCulture)),
            ("NextRecordName", truncated ? from[max].Name : null), ("NextRecordType", truncated ? from[max].Type : null)));
    }

    /// <summary>One hosted zone as the DNS server reads it.</summary>
    public sealed record HostedZoneView(string Id, string Name, bool Private, IReadOnlyList<RecordSetView> Records);

    /// <summary>
    /// One record set: values in Route53's text form (a TXT value keeps its quotes, an MX value is "preference host"), or
    /// an alias to a target's DNS name (a CloudFront distribution's <c>dxxxx.cloudfront.net</c>) with no TTL.
    /// </summary>
    public sealed record RecordSetView(string Name, string Type, long? Ttl, IReadOnlyList<string> Values, string? AliasTarget);

    private static string Dot(string name) => name.EndsWith('.') ? name : name + ".";

    private static string Reversed(string name) => string.Join('.', name.TrimEnd('.').Split('.').Reverse());

    private sealed record Zone(string Id, string Name, bool Private, List<Record> Records);

    private sealed record Record(string Name, string Type, string? Value, string? Alias);
}
