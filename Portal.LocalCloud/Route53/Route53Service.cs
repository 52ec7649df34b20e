using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.LocalCloud.Route53;

/// <summary>
/// Route53 hosted zones and record sets, listed in Route53's order with its paging. <see cref="ChangeRecord"/> applies
/// one change as ChangeResourceRecordSets does, with Route53's validation of a change batch (RULES.md).
/// </summary>
public sealed class Route53Service
{
    private readonly object _gate = new();
    private readonly List<Zone> _zones = [];

    /// <summary>When changes are submitted (ChangeInfo's SubmittedAt).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public string AddZone(string name, bool isPrivate = false)
    {
        lock (_gate)
        {
            var id = "Z" + (_zones.Count + 1).ToString("D6", CultureInfo.InvariantCulture) + "LOOPBACK";
            _zones.Add(new Zone(id, Dot(name), isPrivate, []));
            return id;
        }
    }

    /// <summary>
    /// A public zone with a given id, as an account that already holds the zone has it (its id chosen by Route53 long
    /// ago); an id already taken is refused, as Route53 never hands out one id twice.
    /// </summary>
    public string AddZone(string name, string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        lock (_gate)
        {
            if (_zones.Any(z => z.Id == id))
            {
                throw new InvalidOperationException($"A hosted zone with the id {id} exists already.");
            }

            _zones.Add(new Zone(id, Dot(name), false, []));
            return id;
        }
    }

    /// <summary>Puts a record set directly, as someone editing the zone outside CloudFormation would; no checks.</summary>
    public void AddRecord(string zoneId, string name, string type, string? value = null, string? aliasTarget = null)
    {
        lock (_gate)
        {
            _zones.Single(z => z.Id == zoneId).Records.Add(new Record(Dot(name), type, aliasTarget is null ? 300 : null, value is null ? [] : [value], aliasTarget));
        }
    }

    /// <summary>The zone with this id (a leading <c>/hostedzone/</c> is accepted), or null.</summary>
    public HostedZoneView? FindZone(string zoneId)
    {
        var id = zoneId.StartsWith("/hostedzone/", StringComparison.Ordinal) ? zoneId["/hostedzone/".Length..] : zoneId;
        return Zones().FirstOrDefault(z => z.Id == id);
    }

    /// <summary>
    /// The public zone that holds a name: the one with the longest name the name lies in (a delegated child zone wins
    /// over its parent), or null when no zone of the local cloud holds it.
    /// </summary>
    public HostedZoneView? ZoneHolding(string name)
    {
        var dotted = Dot(name).ToLowerInvariant();
        return Zones().Where(z => !z.Private && InZone(dotted, z.Name)).OrderByDescending(z => z.Name.Length).FirstOrDefault();
    }

    /// <summary>
    /// One change of a ChangeResourceRecordSets batch: <paramref name="action"/> is CREATE, UPSERT or DELETE. Null when
    /// applied; otherwise Route53's error message (an InvalidChangeBatch message in brackets, or the NoSuchHostedZone
    /// or InvalidInput text) and nothing changed. A record set has either a TTL and values or an alias target.
    /// </summary>
    public string? ChangeRecord(string zoneId, string action, string name, string type, long? ttl, IReadOnlyList<string> values, string? aliasTarget)
    {
        lock (_gate)
        {
            var id = zoneId.StartsWith("/hostedzone/", StringComparison.Ordinal) ? zoneId["/hostedzone/".Length..] : zoneId;
            var zone = _zones.FirstOrDefault(z => z.Id == id);
            if (zone is null)
            {
                return $"No hosted zone found with ID: {id}";
            }

            if (action is not ("CREATE" or "UPSERT" or "DELETE"))
            {
                return $"Invalid request: Action must be CREATE, UPSERT or DELETE, not {action}";
            }

            var dotted = Dot(name).ToLowerInvariant();
            type = type.ToUpperInvariant();
            var existing = zone.Records.FirstOrDefault(r => SameName(r.Name, dotted) && r.Type == type);
            if (action == "DELETE")
            {
                if (existing is null)
                {
                    return $"[Tried to delete resource record set [name='{dotted}', type='{type}'] but it was not found]";
                }

                zone.Records.Remove(existing);
                return null;
            }

            var problem = Validate(zone, dotted, type, ttl, values, aliasTarget);
            if (problem is not null)
            {
                return problem;
            }

            if (existing is not null)
            {
                if (action == "CREATE")
                {
                    return $"[Tried to create resource record set [name='{dotted}', type='{type}'] but it already exists]";
                }

                zone.Records.Remove(existing);
            }

            zone.Records.Add(new Record(dotted, type, aliasTarget is null ? ttl : null, aliasTarget is null ? [.. values] : [], aliasTarget is null ? null : Dot(aliasTarget)));
            return null;
        }
    }

    private static string? Validate(Zone zone, string name, string type, long? ttl, IReadOnlyList<string> values, string? aliasTarget)
    {
        var hasRecords = ttl is not null || values.Count > 0;
        if (aliasTarget is null && (ttl is null || values.Count == 0))
        {
            return "Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords]], but found none of them";
        }

        if (aliasTarget is not null && hasRecords)
        {
            return "Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords]], but found more than one";
        }

        if (!InZone(name, zone.Name))
        {
            return $"[RRSet with DNS name {name} is not permitted in zone {zone.Name}]";
        }

        if (type == "CNAME")
        {
            if (string.Equals(name, zone.Name, StringComparison.OrdinalIgnoreCase))
            {
                return $"[RRSet of type CNAME with DNS name {name} is not permitted at apex in zone {zone.Name}]";
            }

            if (values.Count > 1)
            {
                return "[RRSet of type CNAME with DNS name " + name + " has more than one resource record]";
            }
        }

        var conflict = zone.Records.FirstOrDefault(r => SameName(r.Name, name) && r.Type != type && (type == "CNAME" || r.Type == "CNAME"));
        if (conflict is not null)
        {
            return $"[RRSet of type {type} with DNS name {name} is not permitted because a conflicting RRSet of type {conflict.Type} with the same DNS name already exists in zone {zone.Name}]";
        }

        if (type is "TXT" or "SPF")
        {
            foreach (var value in values)
            {
                var problem = TxtProblem(value);
                if (problem is not null)
                {
                    return $"[Invalid Resource Record: 'FATAL problem: {problem} encountered with '{value}'']";
                }
            }
        }

        return null;
    }

    /// <summary>
    /// A TXT value is one or more character strings, each in double quotes (a quote or backslash inside escaped with a
    /// backslash) and at most 255 characters.
    /// </summary>
    private static string? TxtProblem(string value)
    {
        var i = 0;
        var strings = 0;
        while (i < value.Length)
        {
            if (value[i] == ' ')
            {
                i++;
                continue;
            }

            if (value[i] != '"')
            {
                return "InvalidCharacterString (Value should be enclosed in quotation marks)";
            }

            var length = 0;
            i++;
            while (i < value.Length && value[i] != '"')
            {
                i += value[i] == '\\' ? 2 : 1;
                length++;
            }

            if (i >= value.Length)
            {
                return "InvalidCharacterString (Value should be enclosed in quotation marks)";
            }

            i++;
            strings++;
            if (length > 255)
            {
                return "TXTRDATATooLong (Value is too long)";
            }
        }

        return strings == 0 ? "InvalidCharacterString (Value should be enclosed in quotation marks)" : null;
    }

    private static bool SameName(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static bool InZone(string name, string zone) =>
        string.Equals(name, zone, StringComparison.OrdinalIgnoreCase) || name.EndsWith("." + zone, StringComparison.OrdinalIgnoreCase);

    /// <summary>Every hosted zone with its record sets, for the DNS server; names end with a dot.</summary>
    public IReadOnlyList<HostedZoneView> Zones()
    {
        lock (_gate)
        {
            return _zones.Select(z => new HostedZoneView(z.Id, z.Name, z.Private,
                z.Records.Select(r => new RecordSetView(r.Name, r.Type, r.Ttl, [.. r.Values], r.Alias)).ToList())).ToList();
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
                "ListHostedZones" => ListAllZones(input),
                "ListResourceRecordSets" => ListRecords(input),
                "GetHostedZone" => GetZone(input),
                "ChangeResourceRecordSets" => ChangeRecords(input),
                _ => AwsResult.Fail(400, "InvalidAction", $"The loopback endpoint does not implement {operation}."),
            };
        }
    }

    /// <summary>
    /// ChangeResourceRecordSets: a batch of CREATE, UPSERT and DELETE changes applied as one transaction ("if one change
    /// fails, none is made"), each checked as <see cref="ChangeRecord"/> does. A change made this way is outside
    /// CloudFormation, so drift detection of a stack's record set sees it.
    /// https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html
    /// </summary>
    private AwsResult ChangeRecords(Dictionary<string, object?> input)
    {
        var zoneId = input.Str("HostedZoneId") ?? "";
        var id = zoneId.StartsWith("/hostedzone/", StringComparison.Ordinal) ? zoneId["/hostedzone/".Length..] : zoneId;
        var zone = _zones.FirstOrDefault(z => z.Id == id);
        if (zone is null)
        {
            return AwsResult.Fail(404, "NoSuchHostedZone", $"No hosted zone found with ID: {id}");
        }

        var batch = input.TryGetValue("ChangeBatch", out var b) && b is Dictionary<string, object?> found ? found : [];
        var changes = batch.List("Changes").OfType<Dictionary<string, object?>>().ToList();
        if (changes.Count == 0)
        {
            return AwsResult.Fail(400, "InvalidInput", "Invalid request: Expected at least one change in the change batch");
        }

        var before = zone.Records.ToList();
        var problems = new List<string>();
        foreach (var change in changes)
        {
            var set = change.TryGetValue("ResourceRecordSet", out var r) && r is Dictionary<string, object?> rrset ? rrset : [];
            var values = (set.TryGetValue("ResourceRecords", out var rr) && rr is List<object?> list ? list : [])
                .OfType<Dictionary<string, object?>>().Select(v => v.Str("Value")).OfType<string>().ToList();
            long? ttl = set.TryGetValue("TTL", out var t) && t is not null ? Convert.ToInt64(t, CultureInfo.InvariantCulture) : null;
            var alias = set.TryGetValue("AliasTarget", out var a) && a is Dictionary<string, object?> target ? target.Str("DNSName") : null;
            if (ChangeRecord(id, change.Str("Action") ?? "", set.Str("Name") ?? "", set.Str("Type") ?? "", ttl, values, alias) is { } problem)
            {
                problems.Add(problem);
            }
        }

        if (problems.Count > 0)
        {
            zone.Records.Clear();
            zone.Records.AddRange(before);
            var input400 = problems.FirstOrDefault(p => !p.StartsWith('['));
            return input400 is not null
                ? AwsResult.Fail(400, "InvalidInput", input400)
                : AwsResult.Fail(400, "InvalidChangeBatch", string.Join(", ", problems));
        }

        // Applied at once here, so the change is already INSYNC (Route53 answers PENDING until its servers have it).
        return AwsResult.Ok(Tree.Of(("ChangeInfo", Tree.Of(
            ("Id", "/change/C" + Guid.NewGuid().ToString("N")[..20].ToUpperInvariant()), ("Status", "INSYNC"),
            ("SubmittedAt", Clock.GetUtcNow()), ("Comment", batch.Str("Comment"))))));
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

    /// <summary>
    /// ListHostedZones: every zone of the account, at most 100 a page (a larger maxitems still gives 100); while
    /// IsTruncated, NextMarker is the id of the next page's first zone, given back as marker. Zones come in id order, so
    /// a marker names a fixed place in the list. Marker is a required member of the answer (empty on the first page).
    /// https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListHostedZones.html
    /// </summary>
    private AwsResult ListAllZones(Dictionary<string, object?> input)
    {
        var max = Math.Min(int.TryParse(input.Str("MaxItems"), out var m) && m > 0 ? m : 100, 100);
        var marker = input.Str("Marker");
        var from = _zones.OrderBy(z => z.Id, StringComparer.Ordinal)
            .Where(z => marker is null || string.CompareOrdinal(z.Id, marker) >= 0).ToList();
        var page = from.Take(max).ToList();
        var truncated = from.Count > max;
        return AwsResult.Ok(Tree.Of(
            ("HostedZones", page.Select(z => (object?)Tree.Of(
                ("Id", "/hostedzone/" + z.Id), ("Name", z.Name), ("CallerReference", "ref-" + z.Id),
                ("Config", Tree.Of(("PrivateZone", z.Private))), ("ResourceRecordSetCount", (long)z.Records.Count))).ToList()),
            ("Marker", marker ?? ""), ("IsTruncated", truncated), ("MaxItems", max.ToString(CultureInfo.InvariantCulture)),
            ("NextMarker", truncated ? from[max].Id : null)));
    }

    private AwsResult GetZone(Dictionary<string, object?> input)
    {
        var zone = _zones.FirstOrDefault(z => z.Id == input.Str("Id"));
        return zone is null
            ? AwsResult.Fail(404, "NoSuchHostedZone", $"No hosted zone found with ID: {input.Str("Id")}")
            : AwsResult.Ok(Tree.Of(("HostedZone", Tree.Of(
                ("Id", "/hostedzone/" + zone.Id), ("Name", zone.Name), ("CallerReference", "ref-" + zone.Id),
                ("Config", Tree.Of(("PrivateZone", zone.Private))), ("ResourceRecordSetCount", (long)zone.Records.Count)))));
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
                ("TTL", r.Ttl),
                ("ResourceRecords", r.Values.Count == 0 ? null : r.Values.Select(v => (object?)Tree.Of(("Value", v))).ToList()),
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

    private sealed record Record(string Name, string Type, long? Ttl, IReadOnlyList<string> Values, string? Alias);
}
