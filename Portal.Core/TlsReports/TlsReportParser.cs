using System.Globalization;
using System.Text.Json;

namespace Portal.Core.TlsReports;

/// <summary>A report read from JSON, or the sentences that say why it could not be read.</summary>
public sealed record TlsReportParse(TlsReport? Report, IReadOnlyList<string> Errors)
{
    public bool Succeeded => Report is not null;
}

/// <summary>
/// Reads an RFC 8460 section 4 report. Strict where the report would mean nothing without a field (report id,
/// organization, date range, each policy's type, domain and counts), tolerant of what real senders do: optional
/// fields left out, counts written as strings, one <c>mx-host</c> given as a string instead of a list, unknown
/// fields and result types.
/// </summary>
public static class TlsReportParser
{
    /// <summary>Longest report id kept (senders use a timestamp and a domain or a UUID; RFC 8460 sets no limit).</summary>
    public const int MaxReportIdLength = 255;

    public static TlsReportParse Parse(ReadOnlySpan<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 32, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            return Failed($"The report is not JSON: {e.Message}");
        }

        using (document)
        {
            return Parse(document.RootElement);
        }
    }

    public static TlsReportParse Parse(JsonElement root)
    {
        var errors = new List<string>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Failed("The report must be a JSON object (RFC 8460 section 4.4).");
        }

        var organization = Text(root, "organization-name");
        if (string.IsNullOrWhiteSpace(organization))
        {
            errors.Add("organization-name is missing.");
        }

        var reportId = Text(root, "report-id");
        if (string.IsNullOrWhiteSpace(reportId))
        {
            errors.Add("report-id is missing.");
        }
        else if (reportId.Length > MaxReportIdLength)
        {
            errors.Add($"report-id is longer than {MaxReportIdLength} characters.");
        }

        DateTimeOffset start = default, end = default;
        if (Property(root, "date-range") is not { ValueKind: JsonValueKind.Object } range)
        {
            errors.Add("date-range is missing.");
        }
        else
        {
            if (Date(range, "start-datetime") is { } s)
            {
                start = s;
            }
            else
            {
                errors.Add("date-range.start-datetime is missing or not an RFC 3339 date-time.");
            }

            if (Date(range, "end-datetime") is { } e)
            {
                end = e;
            }
            else
            {
                errors.Add("date-range.end-datetime is missing or not an RFC 3339 date-time.");
            }

            if (start != default && end != default && end < start)
            {
                errors.Add("date-range ends before it starts.");
            }
        }

        var policies = new List<TlsReportPolicy>();
        if (Property(root, "policies") is not { ValueKind: JsonValueKind.Array } list || list.GetArrayLength() == 0)
        {
            errors.Add("policies is missing or empty.");
        }
        else
        {
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                if (ReadPolicy(item, $"policies[{index}]", errors) is { } policy)
                {
                    policies.Add(policy);
                }

                index++;
            }
        }

        return errors.Count > 0
            ? new TlsReportParse(null, errors)
            : new TlsReportParse(new TlsReport(organization!.Trim(), start, end, Text(root, "contact-info"), reportId!.Trim(), policies), []);
    }

    private static TlsReportPolicy? ReadPolicy(JsonElement item, string at, List<string> errors)
    {
        var before = errors.Count;
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{at} is not an object.");
            return null;
        }

        var policy = Property(item, "policy");
        var type = policy is { ValueKind: JsonValueKind.Object } p ? Text(p, "policy-type") : null;
        var domain = policy is { ValueKind: JsonValueKind.Object } d ? Text(d, "policy-domain") : null;
        if (string.IsNullOrWhiteSpace(type))
        {
            errors.Add($"{at}.policy.policy-type is missing.");
        }

        if (string.IsNullOrWhiteSpace(domain))
        {
            errors.Add($"{at}.policy.policy-domain is missing.");
        }

        long successful = 0, failed = 0;
        if (Property(item, "summary") is not { ValueKind: JsonValueKind.Object } summary)
        {
            errors.Add($"{at}.summary is missing.");
        }
        else
        {
            successful = Count(summary, "total-successful-session-count", $"{at}.summary", errors);
            failed = Count(summary, "total-failure-session-count", $"{at}.summary", errors);
        }

        var details = new List<TlsFailureDetail>();
        if (Property(item, "failure-details") is { ValueKind: JsonValueKind.Array } failures)
        {
            var index = 0;
            foreach (var f in failures.EnumerateArray())
            {
                var here = $"{at}.failure-details[{index++}]";
                if (f.ValueKind != JsonValueKind.Object)
                {
                    errors.Add($"{here} is not an object.");
                    continue;
                }

                var result = Text(f, "result-type");
                if (string.IsNullOrWhiteSpace(result))
                {
                    errors.Add($"{here}.result-type is missing.");
                    continue;
                }

                details.Add(new TlsFailureDetail(
                    result.Trim().ToLowerInvariant(),
                    Text(f, "sending-mta-ip"),
                    Host(Text(f, "receiving-mx-hostname")),
                    Text(f, "receiving-mx-helo"),
                    Text(f, "receiving-ip"),
                    Count(f, "failed-session-count", here, errors),
                    Text(f, "additional-information"),
                    Text(f, "failure-reason-code")));
            }
        }

        if (errors.Count > before)
        {
            return null;
        }

        var strings = policy is { } pp ? Strings(pp, "policy-string") : [];
        var mx = policy is { } pm ? Strings(pm, "mx-host").Select(h => Host(h)!).ToList() : [];
        return new TlsReportPolicy(type!.Trim().ToLowerInvariant(), Host(domain)!, strings, mx, successful, failed, details);
    }

    private static JsonElement? Property(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value : null;

    private static string? Text(JsonElement element, string name) => Property(element, name) switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
        _ => null,
    };

    /// <summary>A list of strings; a lone string counts as a list of one, as some senders write <c>mx-host</c>.</summary>
    private static List<string> Strings(JsonElement element, string name) => Property(element, name) switch
    {
        { ValueKind: JsonValueKind.Array } a => a.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList(),
        { ValueKind: JsonValueKind.String } s => [s.GetString()!],
        _ => [],
    };

    /// <summary>A session count: a non-negative integer, also as a string (<c>"12"</c>); missing counts as none.</summary>
    private static long Count(JsonElement element, string name, string at, List<string> errors)
    {
        switch (Property(element, name))
        {
            case null or { ValueKind: JsonValueKind.Null }:
                return 0;
            case { ValueKind: JsonValueKind.Number } n when n.TryGetInt64(out var value) && value >= 0:
                return value;
            case { ValueKind: JsonValueKind.String } s when long.TryParse(s.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var value):
                return value;
            default:
                errors.Add($"{at}.{name} is not a non-negative whole number.");
                return 0;
        }
    }

    private static DateTimeOffset? Date(JsonElement element, string name) =>
        Text(element, name) is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : null;

    /// <summary>Host names as DNS compares them: lower case, without the root's trailing dot.</summary>
    private static string? Host(string? name) => name?.Trim().TrimEnd('.').ToLowerInvariant();

    private static TlsReportParse Failed(string error) => new(null, [error]);
}
