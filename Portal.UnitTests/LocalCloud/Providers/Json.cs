using System.Text.Json.Nodes;

namespace Portal.Tests.LocalCloud.Providers;

/// <summary>Resolved resource properties, shaped as the portal's templates write them.</summary>
internal static class Json
{
    public static JsonObject Of(string json) => JsonNode.Parse(json)!.AsObject();

    public static JsonObject ResponseHeadersPolicy(string name) => new()
    {
        ["ResponseHeadersPolicyConfig"] = new JsonObject
        {
            ["Name"] = name,
            ["SecurityHeadersConfig"] = new JsonObject { ["ContentTypeOptions"] = new JsonObject { ["Override"] = true } },
        },
    };

    public static JsonObject CachePolicy(string name) => new()
    {
        ["CachePolicyConfig"] = new JsonObject { ["Name"] = name, ["DefaultTTL"] = 86400, ["MaxTTL"] = 31536000, ["MinTTL"] = 1 },
    };

    public static JsonObject OriginAccessControl(string name) => new()
    {
        ["OriginAccessControlConfig"] = new JsonObject
        {
            ["Name"] = name,
            ["OriginAccessControlOriginType"] = "s3",
            ["SigningBehavior"] = "always",
            ["SigningProtocol"] = "sigv4",
        },
    };

    public static JsonObject Function(string name, bool autoPublish, string? code = null, string runtime = "cloudfront-js-2.0") => new()
    {
        ["Name"] = name,
        ["AutoPublish"] = autoPublish,
        ["FunctionConfig"] = new JsonObject { ["Comment"] = "default document", ["Runtime"] = runtime },
        ["FunctionCode"] = code ?? "function handler(event) { return event.request; }",
    };

    public static JsonObject Certificate(string domain, string? hostedZoneId, params string[] alternativeNames)
    {
        var certificate = new JsonObject
        {
            ["DomainName"] = domain,
            ["ValidationMethod"] = "DNS",
        };
        if (alternativeNames.Length > 0)
        {
            certificate["SubjectAlternativeNames"] = new JsonArray(alternativeNames.Select(n => (JsonNode)JsonValue.Create(n)).ToArray());
        }

        if (hostedZoneId is not null)
        {
            certificate["DomainValidationOptions"] = new JsonArray(
                new[] { domain }.Concat(alternativeNames)
                    .Select(d => (JsonNode)new JsonObject { ["DomainName"] = d, ["HostedZoneId"] = hostedZoneId }).ToArray());
        }

        return certificate;
    }

    /// <summary>A distribution like the site template's: one S3 origin, a default behaviour, optional aliases and certificate.</summary>
    public static JsonObject Distribution(
        string[]? aliases = null, string? certificateArn = null, string[]? functionArns = null,
        string cachePolicyId = "658327ea-f89d-4fab-a63d-7e88639e58f6", string? responseHeadersPolicyId = null, string? originAccessControlId = null,
        string? logBucketDomain = null)
    {
        var behavior = new JsonObject
        {
            ["TargetOriginId"] = "content",
            ["ViewerProtocolPolicy"] = "redirect-to-https",
            ["CachePolicyId"] = cachePolicyId,
        };
        if (responseHeadersPolicyId is not null)
        {
            behavior["ResponseHeadersPolicyId"] = responseHeadersPolicyId;
        }

        if (functionArns is not null)
        {
            behavior["FunctionAssociations"] = new JsonArray(functionArns
                .Select(a => (JsonNode)new JsonObject { ["EventType"] = "viewer-request", ["FunctionARN"] = a }).ToArray());
        }

        var origin = new JsonObject
        {
            ["Id"] = "content",
            ["DomainName"] = "content.s3.eu-west-1.amazonaws.com",
            ["S3OriginConfig"] = new JsonObject { ["OriginAccessIdentity"] = "" },
        };
        if (originAccessControlId is not null)
        {
            origin["OriginAccessControlId"] = originAccessControlId;
        }

        var config = new JsonObject
        {
            ["Enabled"] = true,
            ["Origins"] = new JsonArray(origin),
            ["DefaultCacheBehavior"] = behavior,
        };
        if (aliases is not null)
        {
            config["Aliases"] = new JsonArray(aliases.Select(a => (JsonNode)JsonValue.Create(a)).ToArray());
        }

        if (logBucketDomain is not null)
        {
            config["Logging"] = new JsonObject { ["Bucket"] = logBucketDomain, ["Prefix"] = "CloudFront/", ["IncludeCookies"] = false };
        }

        config["ViewerCertificate"] = certificateArn is null
            ? new JsonObject { ["CloudFrontDefaultCertificate"] = true }
            : new JsonObject { ["AcmCertificateArn"] = certificateArn, ["SslSupportMethod"] = "sni-only", ["MinimumProtocolVersion"] = "TLSv1.2_2021" };
        return new JsonObject { ["DistributionConfig"] = config };
    }

    public static JsonObject Record(string zoneId, string name, string type, long? ttl, params string[] values)
    {
        var record = new JsonObject { ["HostedZoneId"] = zoneId, ["Name"] = name, ["Type"] = type };
        if (ttl is not null)
        {
            record["TTL"] = ttl.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (values.Length > 0)
        {
            record["ResourceRecords"] = new JsonArray(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
        }

        return record;
    }

    public static JsonObject Alias(string zoneId, string name, string type, string targetZone, string dnsName) => new()
    {
        ["HostedZoneId"] = zoneId,
        ["Name"] = name,
        ["Type"] = type,
        ["AliasTarget"] = new JsonObject { ["HostedZoneId"] = targetZone, ["DNSName"] = dnsName, ["EvaluateTargetHealth"] = false },
    };
}
