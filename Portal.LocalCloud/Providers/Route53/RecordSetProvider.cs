using System.Text.Json.Nodes;
using Portal.LocalCloud.CloudFormation;
using Portal.LocalCloud.Resources;
using Portal.LocalCloud.Route53;

namespace Portal.LocalCloud.Providers.Route53;

/// <summary>
/// <c>AWS::Route53::RecordSet</c>: Ref is the record's name. The record is written into the Route53 zone (so
/// ListResourceRecordSets and the DNS server see it) with Route53's change-batch validation
/// (<see cref="Route53Service.ChangeRecord"/>); the zone is found by HostedZoneId or HostedZoneName, and an alias to a
/// CloudFront distribution must use CloudFront's hosted zone and name a live distribution. Failures read as
/// CloudFormation shows Route53's messages: the bare message, InvalidChangeBatch ones in brackets.
/// </summary>
internal sealed class RecordSetProvider : IResourceProvider
{
    /// <summary>The hosted zone every CloudFront distribution's domain name lies in.</summary>
    public const string CloudFrontHostedZoneId = "Z2FDTNDATAQYW2";

    public string Type => "AWS::Route53::RecordSet";

    public ProvisionResult Create(ProvisionContext context, JsonObject properties)
    {
        var (zone, problem) = Zone(context, properties);
        if (zone is null)
        {
            return ProvisionResult.Failed(problem!);
        }

        var record = Record.Of(properties);
        problem = CheckAlias(context, zone, record)
            ?? context.Route53.ChangeRecord(zone.Id, "CREATE", record.Name, record.Type, record.Ttl, record.Values, record.AliasTarget);
        return problem is null ? ProvisionResult.Created(record.Name) : ProvisionResult.Failed(problem);
    }

    public ProvisionResult Update(ProvisionContext context, LiveResource current, JsonObject properties)
    {
        var (zone, problem) = Zone(context, properties);
        if (zone is null)
        {
            return ProvisionResult.Failed(problem!);
        }

        var record = Record.Of(properties);
        var old = Record.Of(current.Properties);
        problem = CheckAlias(context, zone, record);
        if (problem is not null)
        {
            return ProvisionResult.Failed(problem);
        }

        if (SameSet(old, record))
        {
            problem = context.Route53.ChangeRecord(zone.Id, "UPSERT", record.Name, record.Type, record.Ttl, record.Values, record.AliasTarget);
            return problem is null ? ProvisionResult.Created(current.PhysicalId) : ProvisionResult.Failed(problem);
        }

        // A new type under the same name: one change batch deletes the old set and creates the new one, all or nothing.
        var deleted = context.Route53.ChangeRecord(zone.Id, "DELETE", old.Name, old.Type, null, [], null);
        problem = context.Route53.ChangeRecord(zone.Id, "CREATE", record.Name, record.Type, record.Ttl, record.Values, record.AliasTarget);
        if (problem is not null && deleted is null)
        {
            context.Route53.ChangeRecord(zone.Id, "CREATE", old.Name, old.Type, old.Ttl, old.Values, old.AliasTarget);
        }

        return problem is null ? ProvisionResult.Created(record.Name) : ProvisionResult.Failed(problem);
    }

    /// <summary>A record already gone (or its zone) is no failure: CloudFormation's delete succeeds.</summary>
    public string? Delete(ProvisionContext context, LiveResource current)
    {
        var (zone, _) = Zone(context, current.Properties);
        if (zone is not null)
        {
            var record = Record.Of(current.Properties);
            context.Route53.ChangeRecord(zone.Id, "DELETE", record.Name, record.Type, null, [], null);
        }

        return null;
    }

    private static bool SameSet(Record a, Record b) =>
        string.Equals(a.Name.TrimEnd('.'), b.Name.TrimEnd('.'), StringComparison.OrdinalIgnoreCase) && string.Equals(a.Type, b.Type, StringComparison.OrdinalIgnoreCase);

    private static (Route53Service.HostedZoneView? Zone, string? Problem) Zone(ProvisionContext context, JsonObject properties)
    {
        var id = properties.Str("HostedZoneId");
        var name = properties.Str("HostedZoneName");
        if (id is not null && name is not null)
        {
            return (null, "Invalid request: Specify either HostedZoneId or HostedZoneName, not both");
        }

        if (id is not null)
        {
            var zone = context.Route53.FindZone(id);
            return zone is null ? (null, $"No hosted zone found with ID: {id}") : (zone, null);
        }

        if (name is null)
        {
            return (null, "Invalid request: Specify either HostedZoneId or HostedZoneName");
        }

        var dotted = name.EndsWith('.') ? name : name + ".";
        var matches = context.Route53.Zones().Where(z => !z.Private && string.Equals(z.Name, dotted, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count switch
        {
            0 => (null, $"No hosted zones named {dotted} found"),
            1 => (matches[0], null),
            _ => (null, $"Found more than one hosted zone named {dotted}"),
        };
    }

    private static string? CheckAlias(ProvisionContext context, Route53Service.HostedZoneView zone, Record record)
    {
        if (record.AliasTarget is null)
        {
            return null;
        }

        var target = (record.AliasTarget.EndsWith('.') ? record.AliasTarget : record.AliasTarget + ".").ToLowerInvariant();
        var toCloudFront = target.EndsWith(".cloudfront.net.", StringComparison.Ordinal);
        if (toCloudFront != (record.AliasZone == CloudFrontHostedZoneId))
        {
            return $"[Tried to create an alias that targets {target}, type {record.Type} in zone {record.AliasZone}, but the alias target name does not lie within the target zone]";
        }

        var found = toCloudFront
            ? context.Resources.OfType("AWS::CloudFront::Distribution").Any(d => string.Equals(d.Attributes.GetValueOrDefault("DomainName") + ".", target, StringComparison.OrdinalIgnoreCase))
            : context.Route53.FindZone(record.AliasZone ?? "") is not { } local
                || local.Records.Any(r => string.Equals(r.Name, target, StringComparison.OrdinalIgnoreCase));
        return found ? null : $"[Tried to create an alias that targets {target}, type {record.Type} in zone {record.AliasZone}, but that target was not found]";
    }

    /// <summary>
    /// The record set as the zone holds it now (a change batch sent outside CloudFormation may have rewritten its
    /// values or TTL); null when the zone no longer has it.
    /// </summary>
    public JsonObject? Read(ProvisionContext context, LiveResource current)
    {
        var (zone, _) = Zone(context, current.Properties);
        var record = Record.Of(current.Properties);
        var held = zone?.Records.FirstOrDefault(r =>
            string.Equals(r.Name.TrimEnd('.'), record.Name.TrimEnd('.'), StringComparison.OrdinalIgnoreCase) && r.Type == record.Type);
        if (held is null)
        {
            return null;
        }

        var actual = (JsonObject)current.Properties.DeepClone();
        if (actual["TTL"] is not null)
        {
            actual["TTL"] = held.Ttl?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (actual["ResourceRecords"] is JsonArray)
        {
            actual["ResourceRecords"] = new JsonArray([.. held.Values.Select(v => (JsonNode?)JsonValue.Create(v))]);
        }

        // An alias pointed elsewhere (ChangeResourceRecordSets outside CloudFormation) is drift of AliasTarget.DNSName;
        // Route53 keeps names with a final dot, so that dot and the case make no difference.
        if (actual["AliasTarget"] is JsonObject alias)
        {
            if (held.AliasTarget is null)
            {
                actual.Remove("AliasTarget");
            }
            else if (!string.Equals(alias.Str("DNSName")?.TrimEnd('.'), held.AliasTarget.TrimEnd('.'), StringComparison.OrdinalIgnoreCase))
            {
                alias["DNSName"] = held.AliasTarget.TrimEnd('.');
            }
        }

        return actual;
    }

    /// <summary>The record set a template describes; TTL may come as a number or a string.</summary>
    private sealed record Record(string Name, string Type, long? Ttl, IReadOnlyList<string> Values, string? AliasTarget, string? AliasZone)
    {
        public static Record Of(JsonObject properties)
        {
            var alias = properties[nameof(AliasTarget)];
            return new Record(
                properties.Str("Name") ?? "",
                (properties.Str("Type") ?? "").ToUpperInvariant(),
                long.TryParse(properties.Str("TTL"), out var ttl) ? ttl : null,
                properties.Strings("ResourceRecords"),
                alias.Str("DNSName"),
                alias.Str("HostedZoneId"));
        }
    }
}
