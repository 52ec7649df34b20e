using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;

namespace Portal.Core.Deployments;

/// <summary>Where a stack stands against what its template says, as a person reads it.</summary>
public enum DriftState
{
    /// <summary>No drift detection has finished for this stack yet.</summary>
    NotChecked,

    /// <summary>A detection is running, or was asked for and starts on the tracker's next pass.</summary>
    Checking,

    InSync,

    Drifted,

    /// <summary>The last detection failed (CloudFormation could not check a resource): nothing is known.</summary>
    Unknown,
}

/// <summary>One property that differs, as CloudFormation's <c>PropertyDifference</c> reports it.</summary>
/// <param name="Path">The property's JSON pointer in the resource, e.g. <c>/PolicyDocument/Statement/0/Effect</c>.</param>
/// <param name="Expected">The value the template sets (JSON text), null when the template does not set it.</param>
/// <param name="Actual">The value the resource has now (JSON text), null when it was removed.</param>
/// <param name="Difference"><c>ADD</c>, <c>REMOVE</c> or <c>NOT_EQUAL</c>.</param>
public sealed record PropertyDrift(string Path, string? Expected, string? Actual, string Difference);

/// <summary>A resource whose current state is not what its stack's template says.</summary>
/// <param name="Status"><c>MODIFIED</c> or <c>DELETED</c>.</param>
public sealed record DriftedResource(string LogicalId, string? ResourceType, string? PhysicalId, string Status, IReadOnlyList<PropertyDrift> Differences);

/// <summary>One stack's drift as the request page, the dashboard and the API show it.</summary>
public sealed record StackDriftView(
    Guid TrackedStackId,
    string StackName,
    StackKind Kind,
    DeploymentEnvironment? Environment,
    DriftState State,
    DateTimeOffset? CheckedAt,
    IReadOnlyList<DriftedResource> Resources);

/// <summary>
/// How a tracked stack's stored drift fields read for a person, and when drift is news: the rules behind the request
/// page's drift panel, the dashboard's marker, the API and the <see cref="DriftDetectedAction"/> audit event.
/// </summary>
public static class StackDrift
{
    /// <summary>The audit event recorded on a request when one of its stacks turns drifted.</summary>
    public const string DriftDetectedAction = "DriftDetected";

    public const string Drifted = "DRIFTED";
    public const string InSync = "IN_SYNC";
    public const string NotChecked = "NOT_CHECKED";
    public const string Unknown = "UNKNOWN";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// Checking wins over the stored result: a detection is under way, or one was asked for (the next check's time has
    /// come) and the tracker starts it on its next pass. Otherwise the last result CloudFormation gave.
    /// </summary>
    public static DriftState StateOf(TrackedStack stack, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(stack);
        if (stack.DriftDetectionId is not null || (!stack.Deleted && stack.NextDriftCheckAt <= now))
        {
            return DriftState.Checking;
        }

        return StateOf(stack.DriftStatus);
    }

    /// <summary>CloudFormation's <c>StackDriftStatus</c> as a state; anything but the three results reads as not checked.</summary>
    public static DriftState StateOf(string? driftStatus) => driftStatus switch
    {
        Drifted => DriftState.Drifted,
        InSync => DriftState.InSync,
        Unknown => DriftState.Unknown,
        _ => DriftState.NotChecked,
    };

    public static string Label(DriftState state) => state switch
    {
        DriftState.InSync => "In sync",
        DriftState.Drifted => "Drifted",
        DriftState.Checking => "Checking",
        DriftState.Unknown => "Check failed",
        _ => "Not checked",
    };

    /// <summary>The state with the time of the last finished check, e.g. "In sync · checked 2026-12-04 18:20 UTC".</summary>
    public static string Describe(DriftState state, DateTimeOffset? checkedAt) =>
        checkedAt is { } at
            ? $"{Label(state)} · last checked {at.UtcDateTime:yyyy-MM-dd HH:mm} UTC"
            : state == DriftState.Checking ? "Checking · never checked before" : Label(state);

    /// <summary>
    /// A stack turning drifted is news once: from in sync or not checked (or never checked) to drifted. Drifted again
    /// is the same drift still there; from a failed check it may be too, so neither is announced again.
    /// </summary>
    public static bool TurnedDrifted(string? previous, string? current) =>
        current == Drifted && previous is null or NotChecked or InSync;

    public static StackDriftView View(TrackedStack stack, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var state = StateOf(stack, now);
        var resources = StateOf(stack.DriftStatus) == DriftState.Drifted ? ParseResources(stack.DriftedResourcesJson) : [];
        return new(stack.Id, stack.StackName, stack.Kind, stack.Environment, state, stack.DriftCheckedAt, resources);
    }

    /// <summary>The stored drifted resources; rows stored before differences were kept (<c>"Logical: STATUS"</c>) read without them.</summary>
    public static IReadOnlyList<DriftedResource> ParseResources(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            var result = new List<DriftedResource>();
            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    var text = item.GetString() ?? "";
                    var colon = text.LastIndexOf(':');
                    result.Add(colon > 0
                        ? new DriftedResource(text[..colon].Trim(), null, null, text[(colon + 1)..].Trim(), [])
                        : new DriftedResource(text.Trim(), null, null, "MODIFIED", []));
                }
                else if (item.ValueKind == JsonValueKind.Object && item.Deserialize<DriftedResource>(Json) is { } resource)
                {
                    result.Add(resource with { Differences = resource.Differences ?? [] });
                }
            }

            return result;
        }
        catch (JsonException)
        {
            return [];
        }
    }

    public static string SerializeResources(IEnumerable<DriftedResource> resources) => JsonSerializer.Serialize(resources, Json);

    /// <summary>A stored JSON value as a person reads it: strings without quotes, other values as compact JSON.</summary>
    public static string ShowValue(string? json)
    {
        if (json is null or "null")
        {
            return "(not set)";
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.String
                ? document.RootElement.GetString() ?? ""
                : JsonSerializer.Serialize(document.RootElement);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    /// <summary>A property path as words: <c>/PolicyDocument/Statement/0/Effect</c> reads "PolicyDocument › Statement 1 › Effect".</summary>
    public static string ShowPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))
            .Select(p => int.TryParse(p, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) ? $"#{i + 1}" : p)
            .ToList();
        return parts.Count == 0 ? "(whole resource)" : string.Join(" › ", parts);
    }

    /// <summary>
    /// Who may ask for a drift check now (it costs a CloudFormation detection per stack): the request's owner, who
    /// answers for it, approvers, who decide on its production, and admins. Null when allowed, else why not.
    /// </summary>
    public static string? CheckNowRefusal(string ownerId, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsSystem || actor.Id == ownerId || actor.IsIn(PortalRole.Approver) || actor.IsIn(PortalRole.Admin)
            ? null
            : "Only the person who made this request, an approver or an admin can check its drift now.";
    }

    /// <summary>The audit reason: which environment's stack drifted and which resources.</summary>
    public static string AuditReason(DeploymentEnvironment? environment, string stackName, IReadOnlyList<DriftedResource> resources)
    {
        var where = environment is { } e ? e.ToString().ToLowerInvariant() + " stack " : "stack ";
        var what = resources.Count == 0 ? "" : ": " + string.Join(", ", resources.Select(r => $"{r.LogicalId} {r.Status.ToLowerInvariant()}"));
        return $"The {where}{stackName} no longer matches its template{what}.";
    }
}
