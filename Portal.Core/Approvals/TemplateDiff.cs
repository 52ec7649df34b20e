using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Core.Approvals;

public enum ResourceChangeKind
{
    Add,
    Modify,
    Remove,
}

/// <summary>One resource that promotion would add, change or remove; <see cref="Replacement"/> names the properties whose change makes CloudFormation replace it.</summary>
public sealed record ResourceChange(string LogicalId, string Type, ResourceChangeKind Kind, IReadOnlyList<string> ChangedProperties, IReadOnlyList<string> Replacement);

public sealed record DiffLine(char Op, string Text);

/// <summary>What a rendered template changes against the one live: resource by resource, and line by line.</summary>
public sealed record TemplateComparison(IReadOnlyList<ResourceChange> Resources, IReadOnlyList<DiffLine> Lines, bool ParametersChanged)
{
    public int Added => Resources.Count(r => r.Kind == ResourceChangeKind.Add);

    public int Modified => Resources.Count(r => r.Kind == ResourceChangeKind.Modify);

    public int Removed => Resources.Count(r => r.Kind == ResourceChangeKind.Remove);

    public bool HasReplacements => Resources.Any(r => r.Replacement.Count > 0);
}

/// <summary>
/// Compares the template production would get with the one it has, so an approver sees what changes before the real
/// change set is made at promotion. Replacement follows each resource type's create-only properties (the CloudFormation
/// resource schemas' <c>createOnlyProperties</c>).
/// </summary>
public static class TemplateDiff
{
    /// <summary>Create-only properties of the resource types the portal's templates use.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> CreateOnlyProperties { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["AWS::CertificateManager::Certificate"] = ["SubjectAlternativeNames", "DomainValidationOptions", "ValidationMethod", "KeyAlgorithm", "DomainName", "CertificateAuthorityArn"],
        ["AWS::CloudFront::Function"] = ["Name"],
        ["AWS::IAM::Role"] = ["Path", "RoleName"],
        ["AWS::Route53::RecordSet"] = ["HostedZoneName", "Name", "HostedZoneId"],
        ["AWS::Route53::RecordSetGroup"] = ["HostedZoneName", "HostedZoneId"],
        ["AWS::S3::Bucket"] = ["BucketName", "BucketNamePrefix", "BucketNamespace"],
        ["AWS::S3::BucketPolicy"] = ["Bucket"],
    };

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Compares templates (and their parameters); a null live template means the stack does not exist yet.</summary>
    public static TemplateComparison Compare(string? liveTemplate, string renderedTemplate, string? liveParameters = null, string? renderedParameters = null)
    {
        ArgumentNullException.ThrowIfNull(renderedTemplate);
        var rendered = Resources(renderedTemplate, renderedParameters);
        var live = liveTemplate is null ? [] : Resources(liveTemplate, liveParameters);
        var changes = new List<ResourceChange>();
        foreach (var (id, resource) in rendered.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var type = resource["Type"]?.GetValue<string>() ?? "";
            if (!live.TryGetValue(id, out var before))
            {
                changes.Add(new(id, type, ResourceChangeKind.Add, [], []));
                continue;
            }

            var changed = ChangedProperties(before["Properties"] as JsonObject, resource["Properties"] as JsonObject);
            if (changed.Count > 0 || !JsonNode.DeepEquals(before, resource))
            {
                var createOnly = CreateOnlyProperties.TryGetValue(type, out var list) ? list : [];
                changes.Add(new(id, type, ResourceChangeKind.Modify, changed, [.. changed.Where(createOnly.Contains)]));
            }
        }

        foreach (var (id, resource) in live.Where(l => !rendered.ContainsKey(l.Key)).OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            changes.Add(new(id, resource["Type"]?.GetValue<string>() ?? "", ResourceChangeKind.Remove, [], []));
        }

        var parametersChanged = liveParameters is not null && renderedParameters is not null
            && !JsonNode.DeepEquals(JsonNode.Parse(liveParameters), JsonNode.Parse(renderedParameters));
        return new TemplateComparison(changes, LineDiff(Pretty(liveTemplate), Pretty(renderedTemplate)), parametersChanged);
    }

    /// <summary>The resources that exist with these parameters: one whose condition is false (a site's deploy role in production) is not there.</summary>
    private static Dictionary<string, JsonObject> Resources(string template, string? parametersJson)
    {
        var root = JsonNode.Parse(template) as JsonObject;
        var parameters = (parametersJson is null ? null : JsonNode.Parse(parametersJson) as JsonArray ?? [])?
            .Where(p => p?["ParameterKey"] is not null)
            .ToDictionary(p => p!["ParameterKey"]!.GetValue<string>(), p => p!["ParameterValue"]?.GetValue<string>() ?? "", StringComparer.Ordinal)
            ?? new Dictionary<string, string>(StringComparer.Ordinal);
        var conditions = root is null ? new Dictionary<string, bool?>() : Templates.TemplateConditions.Evaluate(root, parameters);
        var resources = root?["Resources"] as JsonObject;
        return resources?.Where(r => r.Value is JsonObject && Templates.TemplateConditions.MayExist(r.Value, conditions))
            .ToDictionary(r => r.Key, r => (JsonObject)r.Value!, StringComparer.Ordinal) ?? [];
    }

    private static List<string> ChangedProperties(JsonObject? before, JsonObject? after)
    {
        var names = (before?.Select(p => p.Key) ?? []).Union(after?.Select(p => p.Key) ?? [], StringComparer.Ordinal);
        return [.. names.Where(n => !JsonNode.DeepEquals(before?[n], after?[n])).Order(StringComparer.Ordinal)];
    }

    private static string[] Pretty(string? json) =>
        json is null ? [] : JsonNode.Parse(json)!.ToJsonString(Indented).Split('\n');

    /// <summary>A line diff by longest common subsequence; templates are a few thousand lines at most.</summary>
    private static List<DiffLine> LineDiff(string[] a, string[] b)
    {
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var lines = new List<DiffLine>();
        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y])
            {
                lines.Add(new(' ', a[x]));
                x++;
                y++;
            }
            else if (lcs[x + 1, y] >= lcs[x, y + 1])
            {
                lines.Add(new('-', a[x++]));
            }
            else
            {
                lines.Add(new('+', b[y++]));
            }
        }

        lines.AddRange(a[x..].Select(l => new DiffLine('-', l)));
        lines.AddRange(b[y..].Select(l => new DiffLine('+', l)));
        return lines;
    }
}
