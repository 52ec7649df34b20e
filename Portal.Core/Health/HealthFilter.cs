namespace Portal.Core.Health;

/// <summary>
/// The dashboard's filters as they stand in its address (<c>/health?status=failing&amp;kind=site&amp;q=docs</c>), so a
/// filtered view can be bookmarked, shared and reached again with the back button.
/// </summary>
public sealed record HealthFilter(HealthStatus? Status = null, HealthCheckKind? Kind = null, string? Text = null)
{
    public const int MaxTextLength = 253;

    public static HealthFilter None { get; } = new();

    /// <summary>The query value of a status: <c>healthy</c>, <c>warnings</c>, <c>failing</c>, <c>not-checked</c>.</summary>
    public static string StatusValue(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Warnings => "warnings",
        HealthStatus.Failing => "failing",
        _ => "not-checked",
    };

    /// <summary>The query value of a kind: <c>site</c> or <c>mail</c>.</summary>
    public static string KindValue(HealthCheckKind kind) => kind == HealthCheckKind.Site ? "site" : "mail";

    /// <summary>
    /// Reads the query values; a value the dashboard does not know is left out and named in <see cref="HealthFilterParse.Problem"/>,
    /// so a mistyped link still shows the list, with a sentence saying which part was ignored.
    /// </summary>
    public static HealthFilterParse Parse(string? status, string? kind, string? text)
    {
        var problems = new List<string>();
        HealthStatus? parsedStatus = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            parsedStatus = Enum.GetValues<HealthStatus>().Where(s => string.Equals(StatusValue(s), status.Trim(), StringComparison.OrdinalIgnoreCase))
                .Select(s => (HealthStatus?)s).FirstOrDefault();
            if (parsedStatus is null)
            {
                problems.Add($"status '{Shorten(status)}' is not one of healthy, warnings, failing, not-checked");
            }
        }

        HealthCheckKind? parsedKind = null;
        if (!string.IsNullOrWhiteSpace(kind))
        {
            parsedKind = Enum.GetValues<HealthCheckKind>().Where(k => string.Equals(KindValue(k), kind.Trim(), StringComparison.OrdinalIgnoreCase))
                .Select(k => (HealthCheckKind?)k).FirstOrDefault();
            if (parsedKind is null)
            {
                problems.Add($"kind '{Shorten(kind)}' is not one of site, mail");
            }
        }

        var trimmed = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        if (trimmed is { Length: > MaxTextLength })
        {
            problems.Add($"the search text is longer than {MaxTextLength} characters and was shortened");
            trimmed = trimmed[..MaxTextLength];
        }

        var problem = problems.Count == 0 ? null : "Ignored in the address: " + string.Join("; ", problems) + ".";
        return new HealthFilterParse(new HealthFilter(parsedStatus, parsedKind, trimmed), problem);
    }

    /// <summary>The query values for this filter; null for a filter not set, so it leaves the address.</summary>
    public IReadOnlyDictionary<string, object?> ToQuery() => new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["status"] = Status is { } s ? StatusValue(s) : null,
        ["kind"] = Kind is { } k ? KindValue(k) : null,
        ["q"] = string.IsNullOrWhiteSpace(Text) ? null : Text.Trim(),
    };

    public bool Matches(HealthRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return (Status is null || row.Status == Status)
            && (Kind is null || row.Kind == Kind)
            && (string.IsNullOrWhiteSpace(Text) || row.Name.Contains(Text.Trim(), StringComparison.OrdinalIgnoreCase));
    }

    public IEnumerable<HealthRow> Apply(IEnumerable<HealthRow> rows) => rows.Where(Matches);

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}

/// <summary>A filter read from an address, and a sentence about what in the address was ignored (null when nothing was).</summary>
public sealed record HealthFilterParse(HealthFilter Filter, string? Problem);
