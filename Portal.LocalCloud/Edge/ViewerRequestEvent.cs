using System.Text.Json.Nodes;

namespace Portal.LocalCloud.Edge;

/// <summary>
/// The event a viewer-request CloudFront Function receives, and the way back: header names in lower case, each
/// value as <c>{ value }</c> with <c>multiValue</c> when a name repeats, the query string parsed into the same shape
/// with its values as the viewer sent them (still percent-encoded), and cookies out of the <c>Cookie</c> header into
/// <c>cookies</c>.
/// </summary>
public static class ViewerRequestEvent
{
    public static JsonObject Build(EdgeRequest request, EdgeDistribution distribution, string requestId)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(distribution);
        var headers = new List<KeyValuePair<string, string>>();
        var cookies = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in request.Headers)
        {
            if (string.Equals(name, "cookie", StringComparison.OrdinalIgnoreCase))
            {
                cookies.AddRange(ParseCookies(value));
            }
            else if (!name.StartsWith(':'))
            {
                headers.Add(new(name.ToLowerInvariant(), value));
            }
        }

        return new JsonObject
        {
            ["version"] = "1.0",
            ["context"] = new JsonObject
            {
                ["distributionDomainName"] = distribution.DomainName,
                ["distributionId"] = distribution.Id,
                ["eventType"] = "viewer-request",
                ["requestId"] = requestId,
            },
            ["viewer"] = new JsonObject { ["ip"] = request.ViewerIp },
            ["request"] = new JsonObject
            {
                ["method"] = request.Method,
                ["uri"] = request.Path,
                ["querystring"] = Multi(ParseQuery(request.Query)),
                ["headers"] = Multi(headers),
                ["cookies"] = Multi(cookies),
            },
        };
    }

    public static IEnumerable<KeyValuePair<string, string>> ParseQuery(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        foreach (var part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            yield return equals < 0 ? new(part, "") : new(part[..equals], part[(equals + 1)..]);
        }
    }

    public static IEnumerable<KeyValuePair<string, string>> ParseCookies(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        foreach (var part in header.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            yield return equals < 0 ? new(part, "") : new(part[..equals], part[(equals + 1)..]);
        }
    }

    /// <summary>Name/value pairs out of CloudFront's <c>{ name: { value, multiValue? } }</c> shape, every value of multiValue.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Pairs(JsonNode? shape)
    {
        foreach (var (name, entry) in shape as JsonObject ?? [])
        {
            if (entry?["multiValue"] is JsonArray many && many.Count > 0)
            {
                foreach (var item in many)
                {
                    yield return new(name, ValueOf(item?["value"]));
                }
            }
            else if (entry is not null)
            {
                yield return new(name, ValueOf(entry["value"]));
            }
        }
    }

    /// <summary>A query string again from the event's shape, as the origin receives it.</summary>
    public static string QueryString(JsonNode? querystring) =>
        string.Join('&', Pairs(querystring).Select(p => p.Value.Length == 0 ? p.Key : p.Key + "=" + p.Value));

    private static string ValueOf(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        null => "",
        _ => node.ToJsonString(),
    };

    private static JsonObject Multi(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var result = new JsonObject();
        foreach (var group in pairs.GroupBy(p => p.Key, StringComparer.Ordinal))
        {
            var values = group.Select(p => p.Value).ToList();
            var entry = new JsonObject { ["value"] = values[0] };
            if (values.Count > 1)
            {
                entry["multiValue"] = new JsonArray(values.Select(v => (JsonNode?)new JsonObject { ["value"] = v }).ToArray());
            }

            result[group.Key] = entry;
        }

        return result;
    }
}
