using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Portal.LocalCloud.Resources;
using Portal.LocalCloud.Route53;
using Portal.LocalCloud.Templates;

namespace Portal.LocalCloud.CloudFormation;

/// <summary>How long the local cloud's lifecycles take, on its clock.</summary>
public sealed record LifecycleTimings
{
    public TimeSpan ChangeSetCreation { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Each step of a stack operation (a resource starting, completing, a stack status) is this far after the previous one.</summary>
    public TimeSpan ResourceStep { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan DriftDetection { get; init; } = TimeSpan.FromMilliseconds(300);
}

/// <summary>
/// CloudFormation with real resources: a change set's template is checked as CloudFormation checks it (capabilities,
/// quotas, parameter constraints), and executing it creates, updates, replaces and deletes the resources in
/// dependency order through each type's <see cref="IResourceProvider"/>, each resource's properties resolved against
/// the real physical ids and attributes of the resources it references and validated against its registry schema.
/// The live resources go into the <see cref="ResourceIndex"/>. Everything plays out on the clock, one step per
/// <see cref="LifecycleTimings.ResourceStep"/>, with CloudFormation's events, reasons and rollbacks. Pending work is
/// plain data, so <see cref="SaveState"/> can be taken mid-deployment and <see cref="RestoreState"/> carries on.
/// </summary>
/// <summary>
/// One resource action CloudFormation carried out for a stack (Create, Update or Delete of a physical resource), with
/// the resolved properties and the service role the stack is associated with (null: the caller's own credentials).
/// </summary>
public sealed record ResourceAction(string Region, string StackName, string? RoleArn, string ResourceType, string LogicalId, string Verb,
    string PhysicalId, JsonObject Properties, IReadOnlyDictionary<string, string> Attributes);

public sealed partial class CloudFormationService
{
    public const string AccountId = "123456789012";

    /// <summary>The account this CloudFormation belongs to (stack ids, ARNs, <c>AWS::AccountId</c>); <see cref="AccountId"/> unless another.</summary>
    public string Account { get; init; } = AccountId;
    public const string NoChangesReason = "The submitted information didn't contain changes. Submit different information to create a change set.";
    public const int MaxTemplateBodyBytes = 51_200;
    public const int MaxParameters = 200;
    public const int MaxResources = 500;
    public const int MaxOutputs = 200;

    private const string StackType = "AWS::CloudFormation::Stack";

    private static readonly string[] IamNameProperties = ["RoleName", "UserName", "GroupName", "ManagedPolicyName", "InstanceProfileName"];

    private static readonly JsonSerializerOptions StateJson = new() { WriteIndented = false };

    private readonly object _gate = new();
    private readonly HashSet<string> _accountRoles = new(StringComparer.Ordinal);
    private readonly List<ResourceAction> _resourceActions = [];
    private readonly TimeProvider _clock;
    private readonly LifecycleTimings _timings;
    private readonly ResourceIndex _index;
    private readonly ResourceProviders _providers;
    private readonly Route53Service _route53;
    private List<StackRecord> _stacks = [];
    private Dictionary<string, ChangeSetRecord> _changeSets = new(StringComparer.Ordinal);
    private Dictionary<string, DriftDetection> _detections = new(StringComparer.Ordinal);
    private List<FailureRule> _failures = [];

    public CloudFormationService(TimeProvider clock, LifecycleTimings timings, ResourceIndex resources, ResourceProviders providers, Route53Service route53)
    {
        _clock = clock;
        _timings = timings;
        _index = resources;
        _providers = providers;
        _route53 = route53;
    }

    /// <summary>A service of its own, with a fresh resource index, the generic providers and no hosted zones.</summary>
    public CloudFormationService(TimeProvider clock, LifecycleTimings timings)
        : this(clock, timings, new ResourceIndex(), ResourceProviders.Generic, new Route53Service())
    {
    }

    /// <summary>The live resources the stacks created.</summary>
    public ResourceIndex Index => _index;

    /// <summary>Change sets actually created, per stack name (a retried create with its token is not a new one).</summary>
    public Dictionary<string, int> ChangeSetsCreated { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Roles of the account made outside CloudFormation (by an administrator, say with bootstrap.yaml), which a change set
    /// may name as its service role; roles made by stacks count too.
    /// </summary>
    public void AddAccountRole(string roleArn)
    {
        lock (_gate)
        {
            _accountRoles.Add(roleArn);
        }
    }

    /// <summary>Every resource action CloudFormation carried out, in order: what a service role must be allowed to do.</summary>
    public IReadOnlyList<ResourceAction> ResourceActions
    {
        get
        {
            lock (_gate)
            {
                return _resourceActions.ToList();
            }
        }
    }

    /// <summary>Change set executions actually started, per change set name.</summary>
    public Dictionary<string, int> Executions { get; } = new(StringComparer.Ordinal);

    /// <summary>Stacks created (stack ids issued), per stack name.</summary>
    public Dictionary<string, int> StacksCreated { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, int> DeletesStarted { get; } = new(StringComparer.Ordinal);

    /// <summary>Makes the named resource of the named stack fail to create or update with the given reason.</summary>
    public void FailResource(string stackName, string logicalResourceId, string reason)
    {
        lock (_gate)
        {
            _failures.RemoveAll(f => f.Stack == stackName && f.Logical == logicalResourceId);
            _failures.Add(new FailureRule(stackName, logicalResourceId, reason));
        }
    }

    public void ClearFailures()
    {
        lock (_gate)
        {
            _failures.Clear();
        }
    }

    /// <summary>
    /// Someone changed a resource outside CloudFormation (the console, another tool): its live configuration, the one
    /// the local cloud serves from, is rewritten by <paramref name="change"/>; drift detection compares it with the template.
    /// </summary>
    public void ChangeOutOfBand(string region, string stackName, string logicalResourceId, Action<JsonObject> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        LiveResource live;
        lock (_gate)
        {
            var resource = Find(region, stackName)!.Resources[logicalResourceId];
            live = _index.Find(resource.Type, resource.PhysicalId)!;
        }

        var properties = (JsonObject)live.Properties.DeepClone();
        change(properties);
        _index.Put(live with { Properties = properties });
    }

    /// <summary>Puts a stable stack in place directly (for the benchmark's thousand stacks).</summary>
    public string Seed(string region, string stackName, string status, IReadOnlyDictionary<string, string>? outputs = null)
    {
        lock (_gate)
        {
            var stack = NewStack(region, stackName);
            stack.Status = status;
            stack.Template = new JsonObject { ["Resources"] = new JsonObject { ["Bucket"] = new JsonObject { ["Type"] = "AWS::S3::Bucket" } } };
            var bucket = new ResourceRecord { Type = "AWS::S3::Bucket", PhysicalId = stackName.ToLowerInvariant() + "-bucket", Properties = [], Status = "CREATE_COMPLETE" };
            stack.Resources["Bucket"] = bucket;
            _index.Put(Live(stack, "Bucket", bucket));
            foreach (var (k, v) in outputs ?? new Dictionary<string, string>())
            {
                stack.Outputs[k] = v;
            }

            return stack.Id;
        }
    }

    /// <summary>Starts an update of a seeded stack that runs for <paramref name="duration"/> (as if someone else were deploying it).</summary>
    public void SeedInProgressUpdate(string region, string stackName, TimeSpan duration)
    {
        lock (_gate)
        {
            var stack = Find(region, stackName)!;
            var now = _clock.GetUtcNow();
            stack.Updated = now;
            AddEvent(stack, stackName, StackType, stack.Id, "UPDATE_IN_PROGRESS", "User Initiated", null, now);
            var (logical, resource) = stack.Resources.First();
            var steps = Math.Max(2, (int)(duration / TimeSpan.FromSeconds(30)));
            for (var i = 1; i < steps; i++)
            {
                stack.Script.Add(new ScriptedEvent(now + (duration * i / steps), logical, resource.Type, resource.PhysicalId, i % 2 == 1 ? "UPDATE_IN_PROGRESS" : "UPDATE_COMPLETE"));
            }

            stack.Script.Add(new ScriptedEvent(now + duration, stack.Name, StackType, stack.Id, "UPDATE_COMPLETE"));
        }
    }

    public string? StatusOf(string region, string stackName)
    {
        lock (_gate)
        {
            var stack = Find(region, stackName);
            if (stack is not null)
            {
                Advance(stack);
            }

            return stack?.Status;
        }
    }

    /// <summary>Events of the live stack of that name, or of the last deleted one.</summary>
    public Task<int> EventCountAsync(string region, string stackName)
    {
        lock (_gate)
        {
            var stack = Find(region, stackName) ?? _stacks.LastOrDefault(s => s.Region == region && s.Name == stackName);
            if (stack is not null)
            {
                Advance(stack);
            }

            return Task.FromResult(stack?.Events.Count ?? 0);
        }
    }

    public IReadOnlyList<string> StackNames(string region)
    {
        lock (_gate)
        {
            return _stacks.Where(s => s.Region == region && !s.Deleted).Select(s => s.Name).ToList();
        }
    }

    /// <summary>The template the live stack of that name was last created or updated from, as JSON; null when there is none.</summary>
    public string? TemplateOf(string region, string stackName)
    {
        lock (_gate)
        {
            var stack = Find(region, stackName);
            if (stack is not null)
            {
                Advance(stack);
            }

            return stack?.Template?.ToJsonString();
        }
    }

    public IReadOnlyList<(string Region, string Name, string Id)> AllStacks()
    {
        lock (_gate)
        {
            return _stacks.Where(s => !s.Deleted).Select(s => (s.Region, s.Name, s.Id)).ToList();
        }
    }

    /// <summary>Whether a CloudFront distribution with this id is live.</summary>
    public bool HasDistribution(string id) => _index.Find("AWS::CloudFront::Distribution", id) is not null;

    public AwsResult Handle(string operation, string region, Dictionary<string, object?> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        lock (_gate)
        {
            foreach (var stack in _stacks)
            {
                Advance(stack);
            }

            return operation switch
            {
                "CreateChangeSet" => CreateChangeSet(region, input),
                "DescribeChangeSet" => DescribeChangeSet(region, input),
                "ExecuteChangeSet" => ExecuteChangeSet(region, input),
                "DeleteChangeSet" => DeleteChangeSet(region, input),
                "DescribeStacks" => DescribeStacks(region, input),
                "DescribeStackEvents" => DescribeStackEvents(region, input),
                "DeleteStack" => DeleteStack(region, input),
                "DetectStackDrift" => DetectStackDrift(region, input),
                "DescribeStackDriftDetectionStatus" => DescribeDetection(input),
                "DescribeStackResourceDrifts" => DescribeResourceDrifts(region, input),
                _ => AwsResult.Fail(400, "InvalidAction", $"The loopback endpoint does not implement {operation}."),
            };
        }
    }

    // ---------------------------------------------------------------- persistence

    /// <summary>Everything the service holds, pending work included, and the live resources of the index.</summary>
    public JsonObject SaveState()
    {
        lock (_gate)
        {
            var state = new SavedState
            {
                Stacks = _stacks,
                ChangeSets = _changeSets.Values.ToList(),
                Detections = _detections.Values.ToList(),
                Failures = _failures,
                ChangeSetsCreated = ChangeSetsCreated,
                Executions = Executions,
                StacksCreated = StacksCreated,
                DeletesStarted = DeletesStarted,
                Resources = _index.All().ToList(),
            };
            return JsonSerializer.SerializeToNode(state, StateJson)!.AsObject();
        }
    }

    /// <summary>Replaces everything with a saved state; the index then holds exactly the saved live resources.</summary>
    public void RestoreState(JsonObject state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var saved = state.Deserialize<SavedState>(StateJson) ?? throw new ArgumentException("Not a saved CloudFormation state.", nameof(state));
        lock (_gate)
        {
            _stacks = saved.Stacks;
            _changeSets = saved.ChangeSets.ToDictionary(c => c.Id, StringComparer.Ordinal);
            _detections = saved.Detections.ToDictionary(d => d.Id, StringComparer.Ordinal);
            _failures = saved.Failures;
            Refill(ChangeSetsCreated, saved.ChangeSetsCreated);
            Refill(Executions, saved.Executions);
            Refill(StacksCreated, saved.StacksCreated);
            Refill(DeletesStarted, saved.DeletesStarted);
            foreach (var live in _index.All())
            {
                _index.Remove(live.Type, live.PhysicalId);
            }

            foreach (var live in saved.Resources)
            {
                _index.Put(live);
            }
        }

        static void Refill(Dictionary<string, int> target, Dictionary<string, int> source)
        {
            target.Clear();
            foreach (var (k, v) in source)
            {
                target[k] = v;
            }
        }
    }

    // ---------------------------------------------------------------- change sets

    private AwsResult CreateChangeSet(string region, Dictionary<string, object?> input)
    {
        var stackName = input.Str("StackName")!;
        var name = input.Str("ChangeSetName")!;
        var type = input.Str("ChangeSetType") ?? "UPDATE";
        var token = input.Str("ClientToken");
        if (name.Length > 128)
        {
            return AwsResult.Validation($"1 validation error detected: Value '{name}' at 'changeSetName' failed to satisfy constraint: Member must have length less than or equal to 128");
        }

        if (!ChangeSetNamePattern().IsMatch(name))
        {
            return AwsResult.Validation($"1 validation error detected: Value '{name}' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*");
        }

        var roleArn = input.Str("RoleARN");
        if (roleArn is not null && RoleProblem(roleArn) is { } roleProblem)
        {
            return AwsResult.Validation(roleProblem);
        }

        var stack = Find(region, stackName);
        var existing = stack is null ? null : _changeSets.Values.FirstOrDefault(c => c.StackId == stack.Id && c.Name == name && !c.Deleted);
        if (existing is not null)
        {
            return token is not null && token == existing.ClientToken
                ? AwsResult.Ok(Tree.Of(("Id", existing.Id), ("StackId", existing.StackId)))
                : AwsResult.Fail(400, "AlreadyExistsException", $"ChangeSet {name} already exists");
        }

        var body = input.Str("TemplateBody") ?? "";
        if (Encoding.UTF8.GetByteCount(body) > MaxTemplateBodyBytes)
        {
            return AwsResult.Validation($"1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to {MaxTemplateBodyBytes}");
        }

        JsonObject template;
        try
        {
            template = JsonNode.Parse(body)?.AsObject() ?? throw new FormatException();
            if (template["Resources"] is not JsonObject { Count: > 0 })
            {
                return AwsResult.Validation("Template format error: At least one Resources member must be defined.");
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return AwsResult.Validation("Template format error: JSON not well-formed.");
        }

        var quota = Quota(template, "Parameters", "parameters", MaxParameters) ?? Quota(template, "Resources", "resources", MaxResources) ?? Quota(template, "Outputs", "outputs", MaxOutputs);
        if (quota is not null)
        {
            return AwsResult.Validation(quota);
        }

        var unrecognized = template["Resources"]!.AsObject().Select(r => (string?)r.Value?["Type"] ?? "").Where(t => !ResourceSchemas.Shared.Types.Contains(t)).Distinct().ToList();
        if (unrecognized.Count > 0)
        {
            return AwsResult.Validation($"Template format error: Unrecognized resource types: [{string.Join(", ", unrecognized)}]");
        }

        var parameters = input.List("Parameters").Cast<Dictionary<string, object?>>()
            .ToDictionary(p => p.Str("ParameterKey")!, p => p.Str("ParameterValue") ?? "", StringComparer.Ordinal);
        var declared = template["Parameters"] as JsonObject ?? [];
        var unknown = parameters.Keys.Where(k => !declared.ContainsKey(k)).ToList();
        if (unknown.Count > 0)
        {
            return AwsResult.Validation($"Parameters: [{string.Join(", ", unknown)}] do not exist in the template");
        }

        var missing = declared.Where(d => d.Value?["Default"] is null && !parameters.ContainsKey(d.Key)).Select(d => d.Key).ToList();
        if (missing.Count > 0)
        {
            return AwsResult.Validation($"Parameters: [{string.Join(", ", missing)}] must have values");
        }

        foreach (var (key, definition) in declared)
        {
            if (!parameters.TryGetValue(key, out var value))
            {
                value = parameters[key] = definition?["Default"]?.ToString() ?? "";
            }

            string? problem;
            try
            {
                problem = ParameterProblem(key, definition as JsonObject ?? [], value);
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException)
            {
                problem = $"Template format error: Parameter '{key}' has an invalid constraint: {ex.Message}";
            }

            if (problem is not null)
            {
                return AwsResult.Validation(problem);
            }
        }

        var stackId = stack?.Id ?? $"arn:aws:cloudformation:{region}:{Account}:stack/{stackName}/pending";
        TemplateEvaluator evaluator;
        List<string> order;
        try
        {
            evaluator = TemplateEvaluator.ForStack(template, parameters, region, stackId, stackName, (logical, attribute) =>
            {
                var resourceType = (string?)template["Resources"]?[logical]?["Type"] ?? "";
                return attribute == "Ref" || ResourceSchemas.Shared.Attributes(resourceType).Contains(attribute)
                    ? null
                    : throw new InvalidOperationException($"Template error: resource {logical} does not support attribute type {attribute} in Fn::GetAtt");
            }, Imports(region));
            order = DependencyOrder(evaluator, evaluator.ActiveResources());
            foreach (var logical in order)
            {
                evaluator.ResolveProperties(logical);
            }

            evaluator.ResolveOutputs();
            if (evaluator.RuleFailures() is [var firstRule, ..])
            {
                return AwsResult.Validation(firstRule);
            }
        }
        catch (UnresolvedReferenceException ex)
        {
            return AwsResult.Validation($"Template format error: Unresolved resource dependencies [{ex.Name}] in the Resources block of the template");
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException or NullReferenceException or KeyNotFoundException)
        {
            return AwsResult.Validation(ex.Message.StartsWith("Template error:", StringComparison.Ordinal) ? ex.Message : "Template format error: " + ex.Message);
        }

        var required = RequiredCapability(template, order);
        var granted = input.List("Capabilities").OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (required is not null && !granted.Contains("CAPABILITY_NAMED_IAM") && (required == "CAPABILITY_NAMED_IAM" || !granted.Contains("CAPABILITY_IAM")))
        {
            return AwsResult.Fail(400, "InsufficientCapabilitiesException", $"Requires capabilities : [{required}]");
        }

        if (type == "CREATE")
        {
            if (stack is not null && stack.Status != "REVIEW_IN_PROGRESS")
            {
                return AwsResult.Validation($"Stack [{stackName}] already exists and cannot be created again with the changeSet [{name}].");
            }

            if (stack is null)
            {
                stack = NewStack(region, stackName);
                stack.Status = "REVIEW_IN_PROGRESS";
                AddEvent(stack, stackName, StackType, stack.Id, "REVIEW_IN_PROGRESS", "User Initiated", null, _clock.GetUtcNow());
            }
        }
        else if (stack is null)
        {
            return AwsResult.Validation($"Stack [{stackName}] does not exist");
        }
        else if (stack.Status is "REVIEW_IN_PROGRESS" or "ROLLBACK_COMPLETE" or "ROLLBACK_FAILED" or "DELETE_FAILED" || IsInProgress(stack.Status))
        {
            return AwsResult.Validation($"Stack:{stack.Id} is in {stack.Status} state and can not be updated.");
        }

        var tags = input.List("Tags").Cast<Dictionary<string, object?>>().Select(t => new TagRecord(t.Str("Key")!, t.Str("Value") ?? "")).ToList();
        var changeSet = new ChangeSetRecord
        {
            FailureReason = ExportProblem(region, stackName, evaluator),
            Id = $"arn:aws:cloudformation:{region}:{Account}:changeSet/{name}/{Guid.NewGuid()}",
            Name = name,
            StackId = stack.Id,
            StackName = stack.Name,
            Type = type,
            ClientToken = token,
            Created = _clock.GetUtcNow(),
            Template = template,
            Parameters = parameters,
            Tags = tags,
            Changes = Diff(stack, template, parameters, tags),
            RoleArn = roleArn,
        };
        _changeSets[changeSet.Id] = changeSet;
        ChangeSetsCreated[stackName] = ChangeSetsCreated.GetValueOrDefault(stackName) + 1;
        return AwsResult.Ok(Tree.Of(("Id", changeSet.Id), ("StackId", stack.Id)));
    }

    /// <summary>
    /// Why cross-stack references make the change set fail, as CloudFormation says it: an import of a name no stack of the
    /// region exports, an export name another stack already exports, or a change to an export another stack imports.
    /// </summary>
    private string? ExportProblem(string region, string stackName, TemplateEvaluator evaluator)
    {
        var exports = Exports(region);
        if (evaluator.Imported.FirstOrDefault(name => !exports.ContainsKey(name)) is { } missing)
        {
            return $"No export named {missing} found";
        }

        var names = evaluator.ExportNames();
        if (names.Values.FirstOrDefault(name => exports.TryGetValue(name, out var owner) && owner.Stack != stackName) is { } taken)
        {
            return $"Export with name {taken} is already exported by stack {exports[taken].Stack}";
        }

        var stack = _stacks.FirstOrDefault(s => s.Region == region && s.Name == stackName && !s.Deleted && s.Template is not null);
        if (stack is not null)
        {
            var outputs = evaluator.ResolveOutputs();
            var changed = ExportNamesOf(stack)
                .Where(old => !names.TryGetValue(old.Key, out var kept) || kept != old.Value
                    || (outputs.TryGetValue(old.Key, out var value) && !value.StartsWith("{{unknown:", StringComparison.Ordinal) && stack.Outputs.GetValueOrDefault(old.Key) != value))
                .Select(old => old.Value);
            if (ImportedFrom(stack, changed) is { } use)
            {
                return $"Cannot update export {use.Export} as it is in use by {use.Importer}";
            }
        }

        return null;
    }

    private static string? Quota(JsonObject template, string section, string noun, int max) =>
        template[section] is JsonObject entries && entries.Count > max
            ? $"Template format error: Number of {noun}, {entries.Count}, is greater than maximum allowed, {max}"
            : null;

    /// <summary>A parameter value against its declared constraints, in CloudFormation's words.</summary>
    private static string? ParameterProblem(string key, JsonObject definition, string value)
    {
        string Refused(string plain) => definition["ConstraintDescription"] is JsonValue description
            ? $"Parameter '{key}' failed to satisfy constraint: {description}"
            : plain;

        // A list parameter's constraints hold for each of its comma-separated members.
        var type = (string?)definition["Type"] ?? "String";
        var members = type == "CommaDelimitedList" || type.StartsWith("List<", StringComparison.Ordinal) ? value.Split(',') : [value];
        if (definition["AllowedValues"] is JsonArray allowed && !members.All(m => allowed.Any(a => a?.ToString() == m)))
        {
            return Refused($"Parameter '{key}' must be one of AllowedValues");
        }

        if (definition["AllowedPattern"] is JsonValue pattern && !members.All(m => Regex.IsMatch(m, $"^(?:{pattern})$", RegexOptions.None, TimeSpan.FromSeconds(1))))
        {
            return Refused($"Parameter '{key}' must match pattern {pattern}");
        }

        if (definition["MinLength"] is { } min && value.Length < int.Parse(min.ToString(), CultureInfo.InvariantCulture))
        {
            return Refused($"Parameter '{key}' must contain at least {min} characters");
        }

        if (definition["MaxLength"] is { } max && value.Length > int.Parse(max.ToString(), CultureInfo.InvariantCulture))
        {
            return Refused($"Parameter '{key}' must contain at most {max} characters");
        }

        return null;
    }

    /// <summary>CAPABILITY_NAMED_IAM when an IAM resource that exists under the conditions names itself, CAPABILITY_IAM for any other IAM resource.</summary>
    private static string? RequiredCapability(JsonObject template, IEnumerable<string> active)
    {
        string? required = null;
        foreach (var logical in active)
        {
            var resource = template["Resources"]![logical]!;
            var type = (string?)resource["Type"] ?? "";
            if (!type.StartsWith("AWS::IAM::", StringComparison.Ordinal))
            {
                continue;
            }

            var properties = resource["Properties"] as JsonObject;
            if (IamNameProperties.Any(n => properties?.ContainsKey(n) == true))
            {
                return "CAPABILITY_NAMED_IAM";
            }

            required = "CAPABILITY_IAM";
        }

        return required;
    }

    private AwsResult DescribeChangeSet(string region, Dictionary<string, object?> input)
    {
        var changeSet = FindChangeSet(region, input.Str("ChangeSetName")!, input.Str("StackName"));
        if (changeSet is null)
        {
            return AwsResult.Fail(404, "ChangeSetNotFound", $"ChangeSet [{input.Str("ChangeSetName")}] does not exist");
        }

        var (status, reason, execution) = ChangeSetState(changeSet);
        var changes = status == "CREATE_COMPLETE"
            ? changeSet.Changes.Select(c => (object?)Tree.Of(("Type", "Resource"), ("ResourceChange", Tree.Of(
                ("Action", c.Action), ("LogicalResourceId", c.Logical), ("ResourceType", c.Type), ("PhysicalResourceId", c.Physical),
                ("Replacement", c.Replacement),
                ("Scope", c.Action == "Modify" ? c.Scope.Select(x => (object?)x).ToList() : null),
                ("Details", c.Action == "Modify" ? c.Details.Select(d => (object?)Tree.Of(
                    ("Target", Tree.Of(("Attribute", d.Attribute), ("Name", d.Name), ("RequiresRecreation", d.RequiresRecreation))),
                    ("Evaluation", d.Evaluation), ("ChangeSource", d.ChangeSource))).ToList() : null))))).ToList()
            : [];
        return AwsResult.Ok(Tree.Of(
            ("ChangeSetName", changeSet.Name), ("ChangeSetId", changeSet.Id), ("StackId", changeSet.StackId), ("StackName", changeSet.StackName),
            ("CreationTime", changeSet.Created), ("ExecutionStatus", execution), ("Status", status), ("StatusReason", reason),
            ("ChangeSetType", null), ("Changes", changes)));
    }

    private AwsResult ExecuteChangeSet(string region, Dictionary<string, object?> input)
    {
        var changeSet = FindChangeSet(region, input.Str("ChangeSetName")!, input.Str("StackName"));
        if (changeSet is null)
        {
            return AwsResult.Fail(404, "ChangeSetNotFound", $"ChangeSet [{input.Str("ChangeSetName")}] does not exist");
        }

        var token = input.Str("ClientRequestToken");
        if (changeSet.Executed)
        {
            return token is not null && token == changeSet.ExecutionToken
                ? AwsResult.Ok()
                : AwsResult.Fail(400, "InvalidChangeSetStatus", $"ChangeSet [{changeSet.Id}] cannot be executed in its current status of [EXECUTE_IN_PROGRESS]");
        }

        var (status, _, execution) = ChangeSetState(changeSet);
        if (status != "CREATE_COMPLETE" || execution != "AVAILABLE")
        {
            return AwsResult.Fail(400, "InvalidChangeSetStatus", $"ChangeSet [{changeSet.Id}] cannot be executed in its current status of [{execution}]");
        }

        var stack = _stacks.Single(s => s.Id == changeSet.StackId);
        if (IsInProgress(stack.Status))
        {
            return AwsResult.Fail(400, "InvalidChangeSetStatus", $"ChangeSet [{changeSet.Id}] cannot be executed in its current status of [UNAVAILABLE]");
        }

        changeSet.Executed = true;
        changeSet.ExecutionToken = token;
        Executions[changeSet.Name] = Executions.GetValueOrDefault(changeSet.Name) + 1;
        foreach (var other in _changeSets.Values.Where(c => c.StackId == stack.Id && c != changeSet))
        {
            other.Obsolete = true;
        }

        StartExecution(stack, changeSet, token);
        return AwsResult.Ok();
    }

    private AwsResult DeleteChangeSet(string region, Dictionary<string, object?> input)
    {
        var changeSet = FindChangeSet(region, input.Str("ChangeSetName")!, input.Str("StackName"));
        if (changeSet is null)
        {
            return AwsResult.Fail(404, "ChangeSetNotFound", $"ChangeSet [{input.Str("ChangeSetName")}] does not exist");
        }

        if (changeSet.Executed && _stacks.Single(s => s.Id == changeSet.StackId) is { } s && IsInProgress(s.Status))
        {
            return AwsResult.Fail(400, "InvalidChangeSetStatus", "Cannot delete a change set while it is being executed");
        }

        changeSet.Deleted = true;
        return AwsResult.Ok();
    }

    // ---------------------------------------------------------------- stacks

    private AwsResult DescribeStacks(string region, Dictionary<string, object?> input)
    {
        var name = input.Str("StackName");
        if (name is not null)
        {
            var stack = Find(region, name);
            return stack is null
                ? AwsResult.Validation($"Stack with id {name} does not exist")
                : AwsResult.Ok(Tree.Of(("Stacks", new List<object?> { StackTree(stack) })));
        }

        const int PageSize = 100;
        var all = _stacks.Where(s => s.Region == region && !s.Deleted).ToList();
        var start = int.TryParse(input.Str("NextToken"), out var n) ? n : 0;
        var page = all.Skip(start).Take(PageSize).Select(StackTree).ToList<object?>();
        var next = start + PageSize < all.Count ? (start + PageSize).ToString(CultureInfo.InvariantCulture) : null;
        return AwsResult.Ok(Tree.Of(("Stacks", page), ("NextToken", next)));
    }

    private AwsResult DescribeStackEvents(string region, Dictionary<string, object?> input)
    {
        var stack = Find(region, input.Str("StackName")!);
        if (stack is null)
        {
            return AwsResult.Validation($"Stack [{input.Str("StackName")}] does not exist");
        }

        const int PageSize = 100;
        var start = int.TryParse(input.Str("NextToken"), out var n) ? n : 0;
        var newestFirst = Enumerable.Reverse(stack.Events).ToList();
        var page = newestFirst.Skip(start).Take(PageSize).Select(e => (object?)Tree.Of(
            ("StackId", stack.Id), ("EventId", e.EventId), ("StackName", stack.Name), ("LogicalResourceId", e.Logical),
            ("PhysicalResourceId", e.Physical), ("ResourceType", e.Type), ("Timestamp", e.Timestamp), ("ResourceStatus", e.Status),
            ("ResourceStatusReason", e.Reason), ("ClientRequestToken", e.Token))).ToList();
        var next = start + PageSize < newestFirst.Count ? (start + PageSize).ToString(CultureInfo.InvariantCulture) : null;
        return AwsResult.Ok(Tree.Of(("StackEvents", page), ("NextToken", next)));
    }

    private AwsResult DeleteStack(string region, Dictionary<string, object?> input)
    {
        var stack = Find(region, input.Str("StackName")!);
        if (stack is null || stack.Deleted || stack.Status == "DELETE_IN_PROGRESS")
        {
            return AwsResult.Ok();
        }

        if (IsInProgress(stack.Status))
        {
            return AwsResult.Validation($"Stack [{stack.Name}] cannot be deleted while in status {stack.Status}");
        }

        DeletesStarted[stack.Name] = DeletesStarted.GetValueOrDefault(stack.Name) + 1;
        var token = input.Str("ClientRequestToken");
        var now = _clock.GetUtcNow();
        AddEvent(stack, stack.Name, StackType, stack.Id, "DELETE_IN_PROGRESS", "User Initiated", token, now);
        if (stack.Template is not null && ImportedFrom(stack, ExportNamesOf(stack).Values) is { } use)
        {
            // Nothing is deleted: the stack stays as it was, marked DELETE_FAILED.
            stack.Status = "DELETE_FAILED";
            stack.Reason = $"Export {use.Export} cannot be deleted as it is in use by {use.Importer}";
            AddEvent(stack, stack.Name, StackType, stack.Id, "DELETE_FAILED", stack.Reason, token, now);
            return AwsResult.Ok();
        }
        var order = stack.Template is null ? stack.Resources.Keys.ToList() : SafeOrder(stack, stack.Template, stack.Parameters, stack.Resources.Keys);
        stack.Operation = new Operation
        {
            Kind = "DELETE",
            Token = token,
            Phase = Phases.Delete,
            NextAt = now + _timings.ResourceStep,
            Queue = Enumerable.Reverse(order).Where(stack.Resources.ContainsKey)
                .Select(l => new Work { Logical = l, Action = Actions.Delete, Resource = stack.Resources[l] }).ToList(),
        };
        return AwsResult.Ok();
    }

    // ---------------------------------------------------------------- drift

    private AwsResult DetectStackDrift(string region, Dictionary<string, object?> input)
    {
        var stack = Find(region, input.Str("StackName")!);
        if (stack is null)
        {
            return AwsResult.Validation($"Stack [{input.Str("StackName")}] does not exist");
        }

        if (IsInProgress(stack.Status))
        {
            return AwsResult.Validation($"Drift detection cannot run while the stack is in {stack.Status}");
        }

        var detection = new DriftDetection { Id = Guid.NewGuid().ToString(), StackId = stack.Id, Started = _clock.GetUtcNow() };
        _detections[detection.Id] = detection;
        return AwsResult.Ok(Tree.Of(("StackDriftDetectionId", detection.Id)));
    }

    private AwsResult DescribeDetection(Dictionary<string, object?> input)
    {
        if (!_detections.TryGetValue(input.Str("StackDriftDetectionId")!, out var d))
        {
            return AwsResult.Validation("Drift detection id not found");
        }

        var stack = _stacks.Single(s => s.Id == d.StackId);
        var done = _clock.GetUtcNow() >= d.Started + _timings.DriftDetection;
        if (done && !d.Finished)
        {
            // The comparison is made once, when the detection finishes: later changes wait for the next detection.
            stack.ResourceDrifts = stack.Resources.ToDictionary(r => r.Key, r => DetectResourceDrift(stack, r.Key, r.Value), StringComparer.Ordinal);
            stack.DriftStatus = stack.ResourceDrifts.Values.Any(r => r.Status != "IN_SYNC") ? "DRIFTED" : "IN_SYNC";
            stack.DriftChecked = d.Started + _timings.DriftDetection;
            d.Finished = true;
        }

        var drifted = stack.ResourceDrifts.Values.Count(r => r.Status != "IN_SYNC");
        return AwsResult.Ok(Tree.Of(
            ("StackId", stack.Id), ("StackDriftDetectionId", d.Id),
            ("StackDriftStatus", done ? stack.DriftStatus : null),
            ("DetectionStatus", done ? "DETECTION_COMPLETE" : "DETECTION_IN_PROGRESS"),
            ("DriftedStackResourceCount", done ? drifted : null),
            ("Timestamp", d.Started)));
    }

    /// <summary>
    /// One resource against its template: only the properties the template sets are compared, as AWS does
    /// (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DetectStackDrift.html); the resource's
    /// current configuration comes from its provider, i.e. from the service that holds it.
    /// </summary>
    private ResourceDrift DetectResourceDrift(StackRecord stack, string logical, ResourceRecord resource)
    {
        var actual = _providers.For(resource.Type).Read(Context(stack, logical), Live(stack, logical, resource));
        if (actual is null)
        {
            return new ResourceDrift { Status = "DELETED" };
        }

        var differences = DriftComparison.Differences(resource.Properties, actual);
        return new ResourceDrift { Status = differences.Count == 0 ? "IN_SYNC" : "MODIFIED", Actual = actual, Differences = differences };
    }

    private AwsResult DescribeResourceDrifts(string region, Dictionary<string, object?> input)
    {
        var stack = Find(region, input.Str("StackName")!);
        if (stack is null)
        {
            return AwsResult.Validation($"Stack [{input.Str("StackName")}] does not exist");
        }

        var filters = input.List("StackResourceDriftStatusFilters").Cast<string>().ToHashSet();
        var drifts = stack.Resources.Select(p =>
        {
            var drift = stack.ResourceDrifts.GetValueOrDefault(p.Key);
            var status = drift?.Status ?? "NOT_CHECKED";
            var expected = p.Value.Properties.ToJsonString();
            return (Status: status, Tree: Tree.Of(
                ("StackId", stack.Id), ("LogicalResourceId", p.Key), ("PhysicalResourceId", p.Value.PhysicalId), ("ResourceType", p.Value.Type),
                ("ExpectedProperties", drift is null ? null : expected),
                ("ActualProperties", drift is null ? null : drift.Actual?.ToJsonString() ?? (status == "DELETED" ? null : expected)),
                ("PropertyDifferences", drift is { Differences.Count: > 0 }
                    ? drift.Differences.Select(d => (object?)Tree.Of(("PropertyPath", d.Path), ("ExpectedValue", d.Expected), ("ActualValue", d.Actual), ("DifferenceType", d.Type))).ToList()
                    : null),
                ("StackResourceDriftStatus", status), ("Timestamp", stack.DriftChecked ?? _clock.GetUtcNow())));
        }).Where(d => filters.Count == 0 || filters.Contains(d.Status)).Select(d => (object?)d.Tree).ToList();
        return AwsResult.Ok(Tree.Of(("StackResourceDrifts", drifts)));
    }

    // ---------------------------------------------------------------- planning

    /// <summary>
    /// What executing the template would do to the stack's live resources, as DescribeChangeSet shows it: new ones
    /// added, changed ones modified (replaced when a create-only property changes; "Conditional" when that depends on
    /// a value known only during execution), dropped ones removed. A changed tag set modifies every resource.
    /// </summary>
    private List<Change> Diff(StackRecord stack, JsonObject template, Dictionary<string, string> parameters, List<TagRecord> tags)
    {
        var changes = new List<Change>();
        var renewed = new HashSet<string>(StringComparer.Ordinal);
        var evaluator = TemplateEvaluator.ForStack(template, parameters, stack.Region, stack.Id, stack.Name, (logical, attribute) =>
            renewed.Contains(logical) || !stack.Resources.TryGetValue(logical, out var live) ? null
            : attribute == "Ref" ? live.PhysicalId : live.Attributes.GetValueOrDefault(attribute), Imports(stack.Region));
        var active = DependencyOrder(evaluator, evaluator.ActiveResources());
        var tagsChanged = !tags.SequenceEqual(stack.Tags);
        foreach (var logical in active)
        {
            var type = (string)template["Resources"]![logical]!["Type"]!;
            if (!stack.Resources.TryGetValue(logical, out var live))
            {
                renewed.Add(logical);
                changes.Add(new Change("Add", logical, type, null, null));
                continue;
            }

            var properties = evaluator.ResolveProperties(logical);
            var replacement = live.Type != type ? "True" : Replacement(type, live.Properties, properties);
            var details = PropertyDetails(type, live.Properties, properties);
            if (tagsChanged)
            {
                details.Add(new ChangeDetail("Tags", null, "Never", "Static", "DirectModification"));
            }

            var scope = details.Select(d => d.Attribute).Distinct(StringComparer.Ordinal).ToList();
            if (replacement is not null)
            {
                renewed.Add(logical);
                changes.Add(new Change("Modify", logical, type, live.PhysicalId, replacement) { Scope = scope, Details = details });
            }
            else if (tagsChanged || !JsonNode.DeepEquals(live.Properties, properties))
            {
                changes.Add(new Change("Modify", logical, type, live.PhysicalId, "False") { Scope = scope, Details = details });
            }
        }

        foreach (var (logical, live) in stack.Resources.Where(r => !active.Contains(r.Key)))
        {
            changes.Add(new Change("Remove", logical, live.Type, live.PhysicalId, null));
        }

        return changes;
    }

    /// <summary>
    /// The properties that cause a Modify, one ResourceChangeDetail each, as DescribeChangeSet reports them
    /// (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ResourceChangeDetail.html and
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ResourceTargetDefinition.html): the target is
    /// the top-level property (Attribute "Properties", Name the property); RequiresRecreation is "Always" when a
    /// create-only property lies under it, "Never" otherwise; Evaluation is "Dynamic" when the new value is known only
    /// during execution (RequiresRecreation then "Conditionally", which is what makes Replacement "Conditional"), else "Static";
    /// a template change is a "DirectModification".
    /// </summary>
    private static List<ChangeDetail> PropertyDetails(string type, JsonObject before, JsonObject after)
    {
        var createOnly = ResourceSchemas.Shared.CreateOnlyProperties(type).Select(p => p.Split('/')[0]).ToHashSet(StringComparer.Ordinal);
        var details = new List<ChangeDetail>();
        foreach (var name in before.Select(p => p.Key).Union(after.Select(p => p.Key), StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var now = after[name];
            if (JsonNode.DeepEquals(before[name], now))
            {
                continue;
            }

            var dynamic = now?.ToJsonString().Contains("{{unknown:", StringComparison.Ordinal) == true;
            var recreation = !createOnly.Contains(name) ? "Never" : dynamic ? "Conditionally" : "Always";
            details.Add(new ChangeDetail("Properties", name, recreation, dynamic ? "Dynamic" : "Static", "DirectModification"));
        }

        return details;
    }

    /// <summary>"True" when a create-only property changed, "Conditional" when one may change (a value not known yet), else null.</summary>
    private static string? Replacement(string type, JsonObject before, JsonObject after)
    {
        var result = (string?)null;
        foreach (var path in ResourceSchemas.Shared.CreateOnlyProperties(type))
        {
            var old = At(before, path);
            var now = At(after, path);
            if (JsonNode.DeepEquals(old, now))
            {
                continue;
            }

            if (now?.ToJsonString().Contains("{{unknown:", StringComparison.Ordinal) == true)
            {
                result ??= "Conditional";
            }
            else
            {
                return "True";
            }
        }

        return result;

        static JsonNode? At(JsonNode? node, string path)
        {
            foreach (var segment in path.Split('/'))
            {
                node = node is JsonObject map ? map[segment] : null;
            }

            return node;
        }
    }

    /// <summary>The resources in an order where each comes after everything it references (template order among equals).</summary>
    private static List<string> DependencyOrder(TemplateEvaluator evaluator, IReadOnlyList<string> active)
    {
        var activeSet = active.ToHashSet(StringComparer.Ordinal);
        var waitsFor = active.ToDictionary(a => a, a => evaluator.DependenciesOf(a).Where(activeSet.Contains).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var order = new List<string>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        while (order.Count < active.Count)
        {
            var next = active.FirstOrDefault(a => !placed.Contains(a) && waitsFor[a].All(placed.Contains))
                ?? throw new InvalidOperationException($"Circular dependency between resources: [{string.Join(", ", active.Where(a => !placed.Contains(a)))}]");
            order.Add(next);
            placed.Add(next);
        }

        return order;
    }

    private static List<string> SafeOrder(StackRecord stack, JsonObject template, Dictionary<string, string> parameters, IEnumerable<string> logicals)
    {
        var wanted = logicals.ToList();
        try
        {
            var evaluator = TemplateEvaluator.ForStack(template, parameters, stack.Region, stack.Id, stack.Name, (_, _) => null);
            var resources = template["Resources"] as JsonObject ?? [];
            var known = wanted.Where(resources.ContainsKey).ToList();
            var ordered = DependencyOrder(evaluator, known);
            return ordered.Concat(wanted.Where(w => !ordered.Contains(w))).ToList();
        }
        catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException or FormatException)
        {
            return wanted;
        }
    }

    // ---------------------------------------------------------------- execution

    private void StartExecution(StackRecord stack, ChangeSetRecord changeSet, string? token)
    {
        var now = _clock.GetUtcNow();
        var creating = changeSet.Type == "CREATE";
        var previous = new Snapshot
        {
            Template = stack.Template,
            Parameters = stack.Parameters,
            Tags = stack.Tags,
            Outputs = new Dictionary<string, string>(stack.Outputs, StringComparer.Ordinal),
            Resources = new Dictionary<string, ResourceRecord>(stack.Resources, StringComparer.Ordinal),
        };
        var removed = stack.Template is null
            ? []
            : changeSet.Changes.Where(c => c.Action == "Remove").Select(c => c.Logical).ToList();
        var removedOrder = stack.Template is null ? removed : SafeOrder(stack, stack.Template, stack.Parameters, removed);
        stack.Template = changeSet.Template;
        stack.Parameters = changeSet.Parameters;
        stack.Tags = changeSet.Tags;

        // Without a role, CloudFormation keeps the one associated with the stack before.
        stack.RoleArn = changeSet.RoleArn ?? stack.RoleArn;
        if (!creating)
        {
            stack.Updated = now;
        }

        AddEvent(stack, stack.Name, StackType, stack.Id, creating ? "CREATE_IN_PROGRESS" : "UPDATE_IN_PROGRESS", "User Initiated", token, now);
        var evaluator = Evaluator(stack);
        stack.Operation = new Operation
        {
            Kind = creating ? "CREATE" : "UPDATE",
            Token = token,
            Phase = Phases.Apply,
            NextAt = now + _timings.ResourceStep,
            Queue = DependencyOrder(evaluator, evaluator.ActiveResources()).Select(l => new Work { Logical = l, Action = Actions.Apply }).ToList(),
            Forced = changeSet.Changes.Where(c => c.Action == "Modify").Select(c => c.Logical).ToList(),
            Previous = creating ? null : previous,
            Retired = Enumerable.Reverse(removedOrder).Where(stack.Resources.ContainsKey)
                .Select(l => new Work { Logical = l, Action = Actions.Delete, Resource = stack.Resources[l] }).ToList(),
        };
    }

    private void Advance(StackRecord stack)
    {
        var now = _clock.GetUtcNow();
        while (stack.Script.Count > 0 && stack.Script[0].At <= now)
        {
            var e = stack.Script[0];
            stack.Script.RemoveAt(0);
            AddEvent(stack, e.Logical, e.Type, e.Physical, e.Status, null, null, e.At);
        }

        while (stack.Operation is { } op && op.NextAt <= now)
        {
            var at = op.NextAt;
            op.NextAt = at + _timings.ResourceStep;
            Step(stack, op, at);
        }
    }

    /// <summary>One step of the stack's operation at time <paramref name="at"/>: at most one resource moves on.</summary>
    private void Step(StackRecord stack, Operation op, DateTimeOffset at)
    {
        if (op.Current is { } current)
        {
            Finish(stack, op, current, at);
            return;
        }

        while (op.Queue.Count > 0)
        {
            var work = op.Queue[0];
            op.Queue.RemoveAt(0);
            if (Begin(stack, op, work, at))
            {
                return;
            }
        }

        EndPhase(stack, op, at);
    }

    /// <summary>Starts one piece of work; false when there was nothing to do for it (an unchanged resource).</summary>
    private bool Begin(StackRecord stack, Operation op, Work work, DateTimeOffset at)
    {
        var logical = work.Logical;
        switch (work.Action)
        {
            case Actions.Apply:
                return BeginApply(stack, op, logical, at);
            case Actions.Delete:
                var resource = work.Resource!;
                var policy = resource.DeletionPolicy;
                if (policy == "Retain" || (policy == "RetainExceptOnCreate" && op.Phase != Phases.Rollback))
                {
                    AddEvent(stack, logical, resource.Type, resource.PhysicalId, "DELETE_SKIPPED", null, op.Token, at);
                    Forget(stack, logical, resource);
                    op.NextAt = at + _timings.ResourceStep;
                    return true;
                }

                AddEvent(stack, logical, resource.Type, resource.PhysicalId, "DELETE_IN_PROGRESS", null, op.Token, at);
                op.Current = work;
                return true;
            case Actions.Revert:
                var before = work.Resource!;
                var now = stack.Resources.GetValueOrDefault(logical);
                if (now is not null && now.PhysicalId != before.PhysicalId)
                {
                    // The replacement is dropped in the cleanup; the old resource was never touched.
                    op.Retired.Add(new Work { Logical = logical, Action = Actions.Delete, Resource = now });
                    stack.Resources[logical] = before;
                    AddEvent(stack, logical, before.Type, before.PhysicalId, "UPDATE_COMPLETE", null, op.Token, at);
                    return true;
                }

                AddEvent(stack, logical, before.Type, before.PhysicalId, "UPDATE_IN_PROGRESS", null, op.Token, at);
                var reverted = _providers.For(before.Type).Update(Context(stack, logical), Live(stack, logical, now ?? before), before.Properties);
                if (reverted.Succeeded)
                {
                    Keep(stack, logical, before with { Attributes = new(reverted.Attributes, StringComparer.Ordinal) });
                }

                op.Current = work;
                work.Stage = Stages.Initiated;
                return true;
            default:
                return false;
        }
    }

    private bool BeginApply(StackRecord stack, Operation op, string logical, DateTimeOffset at)
    {
        var definition = stack.Template!["Resources"]![logical]!;
        var type = (string)definition["Type"]!;
        var deletionPolicy = (string?)definition["DeletionPolicy"];
        var evaluator = Evaluator(stack);
        var properties = evaluator.ResolveProperties(logical);
        stack.Resources.TryGetValue(logical, out var live);
        var work = new Work { Logical = logical, Action = Actions.Apply };
        var problems = ResourceSchemas.Shared.ValidateProperties(type, properties);
        var injected = _failures.FirstOrDefault(f => f.Stack == stack.Name && f.Logical == logical)?.Reason;
        string? failure = problems.Count > 0
            ? $"Properties validation failed for resource {logical} with message: [{string.Join(", ", problems)}]"
            : injected;

        if (live is null)
        {
            work.Verb = "CREATE";
            AddEvent(stack, logical, type, null, "CREATE_IN_PROGRESS", null, op.Token, at);
            var result = failure is null ? _providers.For(type).Create(Context(stack, logical), properties) : ProvisionResult.Failed(failure);
            Started(stack, op, work, type, properties, deletionPolicy, result, at, null);
            return true;
        }

        var replacement = live.Type != type || Replacement(type, live.Properties, properties) is not null;
        if (!replacement && JsonNode.DeepEquals(live.Properties, properties) && !op.Forced.Contains(logical))
        {
            return false;
        }

        work.Verb = "UPDATE";
        if (replacement)
        {
            AddEvent(stack, logical, type, live.PhysicalId, "UPDATE_IN_PROGRESS", "Requested update requires the creation of a new physical resource; hence creating one.", op.Token, at);
            var result = failure is null ? _providers.For(type).Create(Context(stack, logical), properties) : ProvisionResult.Failed(failure);
            Started(stack, op, work, type, properties, deletionPolicy, result, at, live);
            return true;
        }

        AddEvent(stack, logical, type, live.PhysicalId, "UPDATE_IN_PROGRESS", null, op.Token, at);
        var updated = failure is null ? _providers.For(type).Update(Context(stack, logical), Live(stack, logical, live), properties) : ProvisionResult.Failed(failure);
        work.Previous = live;
        if (updated.Succeeded)
        {
            _resourceActions.Add(new ResourceAction(stack.Region, stack.Name, stack.RoleArn, type, logical, "Update", live.PhysicalId, properties, updated.Attributes));
            Keep(stack, logical, live with { Properties = properties, Attributes = new(updated.Attributes, StringComparer.Ordinal), DeletionPolicy = deletionPolicy });
            op.Touched.Add(new Work { Logical = logical, Action = Actions.Revert, Resource = live });
            work.Stage = updated.WaitingFor is null ? Stages.Initiated : Stages.Waiting;
            if (updated.WaitingFor is not null)
            {
                AddEvent(stack, logical, type, live.PhysicalId, "UPDATE_IN_PROGRESS", updated.WaitingFor, op.Token, at);
            }
        }
        else
        {
            work.Stage = Stages.Failing;
            work.Failure = updated.Failure;
        }

        op.Current = work;
        return true;
    }

    /// <summary>Records what a provider did with a new physical resource (a creation or a replacement's new resource).</summary>
    private void Started(StackRecord stack, Operation op, Work work, string type, JsonObject properties, string? deletionPolicy, ProvisionResult result, DateTimeOffset at, ResourceRecord? replaced)
    {
        op.Current = work;
        if (!result.Succeeded)
        {
            work.Stage = Stages.Failing;
            work.Failure = result.Failure;
            return;
        }

        var record = new ResourceRecord
        {
            Type = type,
            PhysicalId = result.PhysicalId!,
            Properties = properties,
            Attributes = new(result.Attributes, StringComparer.Ordinal),
            Status = work.Verb + "_IN_PROGRESS",
            DeletionPolicy = deletionPolicy,
        };
        Keep(stack, work.Logical, record);
        if (replaced is null)
        {
            op.Touched.Add(new Work { Logical = work.Logical, Action = Actions.Delete, Resource = record });
        }
        else
        {
            op.Touched.Add(new Work { Logical = work.Logical, Action = Actions.Revert, Resource = replaced });
            op.Retired.Insert(0, new Work { Logical = work.Logical, Action = Actions.Delete, Resource = replaced });
        }

        _resourceActions.Add(new ResourceAction(stack.Region, stack.Name, stack.RoleArn, type, work.Logical, "Create", record.PhysicalId, properties, record.Attributes));
        var status = work.Verb + "_IN_PROGRESS";
        AddEvent(stack, work.Logical, type, record.PhysicalId, status, "Resource creation Initiated", op.Token, at);
        work.Stage = result.WaitingFor is null ? Stages.Initiated : Stages.Waiting;
        if (result.WaitingFor is not null)
        {
            AddEvent(stack, work.Logical, type, record.PhysicalId, status, result.WaitingFor, op.Token, at);
            work.Failure = result.WaitingFor;
        }
    }

    /// <summary>The second half of the current work: completion, a poll of a waiting resource, a failure, a deletion.</summary>
    private void Finish(StackRecord stack, Operation op, Work work, DateTimeOffset at)
    {
        var logical = work.Logical;
        if (work.Action == Actions.Delete)
        {
            var resource = work.Resource!;
            var refused = _providers.For(resource.Type).Delete(Context(stack, logical), Live(stack, logical, resource));
            op.Current = null;
            if (refused is null)
            {
                _resourceActions.Add(new ResourceAction(stack.Region, stack.Name, stack.RoleArn, resource.Type, logical, "Delete", resource.PhysicalId, resource.Properties, resource.Attributes));
                AddEvent(stack, logical, resource.Type, resource.PhysicalId, "DELETE_COMPLETE", null, op.Token, at);
                _index.Remove(resource.Type, resource.PhysicalId);
                Forget(stack, logical, resource);
            }
            else
            {
                AddEvent(stack, logical, resource.Type, resource.PhysicalId, "DELETE_FAILED", refused, op.Token, at);
                op.Failed.Add(logical);
            }

            return;
        }

        if (work.Action == Actions.Revert)
        {
            var restored = stack.Resources[logical];
            AddEvent(stack, logical, restored.Type, restored.PhysicalId, "UPDATE_COMPLETE", null, op.Token, at);
            op.Current = null;
            return;
        }

        var live = stack.Resources.GetValueOrDefault(logical);
        var type = live?.Type ?? (string)stack.Template!["Resources"]![logical]!["Type"]!;
        if (work.Stage == Stages.Waiting && live is not null)
        {
            var polled = _providers.For(type).Poll(Context(stack, logical), Live(stack, logical, live));
            if (polled.Succeeded && polled.WaitingFor is not null)
            {
                if (polled.WaitingFor != work.Failure)
                {
                    AddEvent(stack, logical, type, live.PhysicalId, work.Verb + "_IN_PROGRESS", polled.WaitingFor, op.Token, at);
                    work.Failure = polled.WaitingFor;
                }

                return;
            }

            if (polled.Succeeded)
            {
                live = live with { Attributes = new(polled.Attributes, StringComparer.Ordinal) };
                Keep(stack, logical, live);
                work.Stage = Stages.Initiated;
            }
            else
            {
                work.Stage = Stages.Failing;
                work.Failure = polled.Failure;
            }
        }

        op.Current = null;
        if (work.Stage == Stages.Failing)
        {
            var physical = work.Verb == "UPDATE" ? (work.Previous ?? live)?.PhysicalId : live?.PhysicalId;
            AddEvent(stack, logical, type, physical, work.Verb + "_FAILED", work.Failure, op.Token, at);
            StartRollback(stack, op, logical, work.Verb!, at);
            return;
        }

        Keep(stack, logical, live! with { Status = work.Verb + "_COMPLETE" });
        AddEvent(stack, logical, type, live!.PhysicalId, work.Verb + "_COMPLETE", null, op.Token, at);
    }

    private void StartRollback(StackRecord stack, Operation op, string failed, string verb, DateTimeOffset at)
    {
        var what = verb == "CREATE" ? "create" : "update";
        op.NextAt = at + _timings.ResourceStep;
        op.Queue = Enumerable.Reverse(op.Touched).ToList();
        op.Phase = Phases.Rollback;
        if (op.Kind == "CREATE")
        {
            stack.Reason = $"The following resource(s) failed to {what}: [{failed}]. Rollback requested by user.";
            AddEvent(stack, stack.Name, StackType, stack.Id, "ROLLBACK_IN_PROGRESS", stack.Reason, op.Token, at);
            return;
        }

        // An update's new resources are dropped in the rollback's cleanup; updated ones are put back first.
        op.Retired = op.Touched.Where(t => t.Action == Actions.Delete).Reverse().ToList();
        op.Queue = op.Queue.Where(t => t.Action == Actions.Revert).ToList();
        stack.Reason = $"The following resource(s) failed to {what}: [{failed}]. ";
        AddEvent(stack, stack.Name, StackType, stack.Id, "UPDATE_ROLLBACK_IN_PROGRESS", stack.Reason, op.Token, at);
    }

    /// <summary>The current phase's queue is done: the next phase, or the operation's end.</summary>
    private void EndPhase(StackRecord stack, Operation op, DateTimeOffset at)
    {
        switch (op.Kind, op.Phase)
        {
            case ("CREATE", Phases.Apply):
                Complete(stack, op, "CREATE_COMPLETE", at);
                break;
            case ("CREATE", Phases.Rollback):
                Complete(stack, op, "ROLLBACK_COMPLETE", at);
                break;
            case ("UPDATE", Phases.Apply):
                SetOutputs(stack);
                AddEvent(stack, stack.Name, StackType, stack.Id, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", null, op.Token, at);
                op.Phase = Phases.Cleanup;
                op.Queue = op.Retired;
                op.Retired = [];
                break;
            case ("UPDATE", Phases.Rollback):
                RestorePrevious(stack, op);
                AddEvent(stack, stack.Name, StackType, stack.Id, "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", null, op.Token, at);
                op.Phase = Phases.RollbackCleanup;
                op.Queue = op.Retired;
                op.Retired = [];
                break;
            case ("UPDATE", Phases.Cleanup):
                Complete(stack, op, "UPDATE_COMPLETE", at);
                break;
            case ("UPDATE", Phases.RollbackCleanup):
                Complete(stack, op, "UPDATE_ROLLBACK_COMPLETE", at);
                break;
            case ("DELETE", _):
                if (op.Failed.Count > 0)
                {
                    stack.Reason = $"The following resource(s) failed to delete: [{string.Join(", ", op.Failed)}]. ";
                    Complete(stack, op, "DELETE_FAILED", at);
                }
                else
                {
                    Complete(stack, op, "DELETE_COMPLETE", at);
                    stack.Deleted = true;
                }

                break;
        }
    }

    private static void RestorePrevious(StackRecord stack, Operation op)
    {
        var previous = op.Previous!;
        stack.Template = previous.Template;
        stack.Parameters = previous.Parameters;
        stack.Tags = previous.Tags;
        stack.Outputs.Clear();
        foreach (var (k, v) in previous.Outputs)
        {
            stack.Outputs[k] = v;
        }
    }

    private void Complete(StackRecord stack, Operation op, string status, DateTimeOffset at)
    {
        stack.Operation = null;
        if (status is "CREATE_COMPLETE" or "UPDATE_COMPLETE" or "UPDATE_ROLLBACK_COMPLETE")
        {
            stack.Reason = null;
        }

        if (status is "CREATE_COMPLETE" or "UPDATE_COMPLETE")
        {
            SetOutputs(stack);
        }

        if (status == "ROLLBACK_COMPLETE")
        {
            stack.Outputs.Clear();
        }

        AddEvent(stack, stack.Name, StackType, stack.Id, status, null, op.Token, at);
    }

    private void SetOutputs(StackRecord stack)
    {
        stack.Outputs.Clear();
        foreach (var (k, v) in Evaluator(stack).ResolveOutputs())
        {
            stack.Outputs[k] = v;
        }
    }

    /// <summary>Stores the stack's resource and its live copy in the index.</summary>
    private void Keep(StackRecord stack, string logical, ResourceRecord resource)
    {
        stack.Resources[logical] = resource;
        _index.Put(Live(stack, logical, resource));
    }

    private static void Forget(StackRecord stack, string logical, ResourceRecord resource)
    {
        if (stack.Resources.TryGetValue(logical, out var current) && current.PhysicalId == resource.PhysicalId)
        {
            stack.Resources.Remove(logical);
        }
    }

    private TemplateEvaluator Evaluator(StackRecord stack) =>
        TemplateEvaluator.ForStack(stack.Template!, stack.Parameters, stack.Region, stack.Id, stack.Name, (logical, attribute) =>
            !stack.Resources.TryGetValue(logical, out var live) ? null
            : attribute == "Ref" ? live.PhysicalId
            : live.Attributes.GetValueOrDefault(attribute), Imports(stack.Region));

    // ---------------------------------------------------------------- exports

    /// <summary>
    /// The exports of a region: every output with an <c>Export</c> of a stack that exists and has its outputs, by
    /// export name, with the exporting stack's name and the value.
    /// </summary>
    private Dictionary<string, (string Stack, string Value)> Exports(string region)
    {
        var exports = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var stack in _stacks.Where(s => s.Region == region && !s.Deleted && s.Template is not null && s.Outputs.Count > 0))
        {
            foreach (var (output, name) in ExportNamesOf(stack))
            {
                if (stack.Outputs.TryGetValue(output, out var value))
                {
                    exports[name] = (stack.Name, value);
                }
            }
        }

        return exports;
    }

    private static Dictionary<string, string> ExportNamesOf(StackRecord stack)
    {
        try
        {
            // An export's name may not depend on a resource or an import, so the parameters alone decide it.
            return new Dictionary<string, string>(TemplateEvaluator.ForStack(stack.Template!, stack.Parameters, stack.Region, stack.Id, stack.Name, (_, _) => null).ExportNames(), StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or KeyNotFoundException)
        {
            return [];
        }
    }

    /// <summary>An import resolves to the export's value, or to an unknown value that the change set then refuses.</summary>
    private Func<string, string?> Imports(string region) => name =>
        Exports(region).TryGetValue(name, out var export) ? export.Value : TemplateEvaluator.Unknown("import", name);

    /// <summary>The export names a live stack's resources and outputs import.</summary>
    private IReadOnlySet<string> ImportsOf(StackRecord stack)
    {
        try
        {
            var evaluator = Evaluator(stack);
            foreach (var logical in evaluator.ActiveResources())
            {
                evaluator.ResolveProperties(logical);
            }

            evaluator.ResolveOutputs();
            return evaluator.Imported;
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or KeyNotFoundException)
        {
            return new HashSet<string>();
        }
    }

    /// <summary>The first live stack of the region, other than the exporter, that imports one of these exports.</summary>
    private (string Export, string Importer)? ImportedFrom(StackRecord exporter, IEnumerable<string> exportNames)
    {
        var names = exportNames.ToHashSet(StringComparer.Ordinal);
        foreach (var other in _stacks.Where(s => s.Region == exporter.Region && !s.Deleted && s.Id != exporter.Id && s.Template is not null))
        {
            if (ImportsOf(other).FirstOrDefault(names.Contains) is { } name)
            {
                return (name, other.Name);
            }
        }

        return null;
    }

    private ProvisionContext Context(StackRecord stack, string logical) =>
        new(stack.Region, Account, stack.Id, stack.Name, logical, _index, _route53, _clock);

    private static LiveResource Live(StackRecord stack, string logical, ResourceRecord resource) =>
        new(stack.Id, logical, resource.Type, resource.PhysicalId, (JsonObject)resource.Properties.DeepClone(), resource.Attributes);

    private (string Status, string? Reason, string Execution) ChangeSetState(ChangeSetRecord changeSet)
    {
        var age = _clock.GetUtcNow() - changeSet.Created;
        if (age < _timings.ChangeSetCreation / 2)
        {
            return ("CREATE_PENDING", null, "UNAVAILABLE");
        }

        if (age < _timings.ChangeSetCreation)
        {
            return ("CREATE_IN_PROGRESS", null, "UNAVAILABLE");
        }

        if (changeSet.FailureReason is { } reason)
        {
            return ("FAILED", reason, "UNAVAILABLE");
        }

        if (changeSet.Changes.Count == 0)
        {
            return ("FAILED", NoChangesReason, "UNAVAILABLE");
        }

        var stack = _stacks.Single(s => s.Id == changeSet.StackId);
        if (changeSet.Executed)
        {
            return ("CREATE_COMPLETE", null, IsInProgress(stack.Status) ? "EXECUTE_IN_PROGRESS" : stack.Status.EndsWith("_COMPLETE", StringComparison.Ordinal) && !stack.Status.Contains("ROLLBACK", StringComparison.Ordinal) ? "EXECUTE_COMPLETE" : "EXECUTE_FAILED");
        }

        return ("CREATE_COMPLETE", null, changeSet.Obsolete ? "OBSOLETE" : "AVAILABLE");
    }

    private StackRecord NewStack(string region, string name)
    {
        var stack = new StackRecord
        {
            Id = $"arn:aws:cloudformation:{region}:{Account}:stack/{name}/{Guid.NewGuid()}",
            Name = name,
            Region = region,
            Created = _clock.GetUtcNow(),
        };
        _stacks.Add(stack);
        StacksCreated[name] = StacksCreated.GetValueOrDefault(name) + 1;
        return stack;
    }

    private StackRecord? Find(string region, string nameOrId) => nameOrId.StartsWith("arn:", StringComparison.Ordinal)
        ? _stacks.FirstOrDefault(s => s.Id == nameOrId)
        : _stacks.FirstOrDefault(s => s.Region == region && s.Name == nameOrId && !s.Deleted);

    private ChangeSetRecord? FindChangeSet(string region, string nameOrId, string? stackName)
    {
        if (nameOrId.StartsWith("arn:", StringComparison.Ordinal))
        {
            return _changeSets.TryGetValue(nameOrId, out var byId) && !byId.Deleted ? byId : null;
        }

        var stack = stackName is null ? null : Find(region, stackName);
        return stack is null ? null : _changeSets.Values.FirstOrDefault(c => c.StackId == stack.Id && c.Name == nameOrId && !c.Deleted);
    }

    private static bool IsInProgress(string status) => status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal) && status != "REVIEW_IN_PROGRESS";

    private static void AddEvent(StackRecord stack, string logical, string type, string? physical, string status, string? reason, string? token, DateTimeOffset at)
    {
        if (logical == stack.Name && type == StackType)
        {
            stack.Status = status;
        }

        stack.Events.Add(new EventRecord(Guid.NewGuid().ToString(), logical, physical, type, status, reason, token, at));
    }

    private Dictionary<string, object?> StackTree(StackRecord s) => Tree.Of(
        ("StackId", s.Id), ("StackName", s.Name), ("CreationTime", s.Created), ("LastUpdatedTime", s.Updated),
        ("StackStatus", s.Status), ("StackStatusReason", s.Reason),
        ("Parameters", s.Parameters.Select(p => (object?)Tree.Of(("ParameterKey", p.Key), ("ParameterValue", p.Value))).ToList()),
        ("Outputs", s.Outputs.Count == 0 ? null : s.Outputs.Select(o => (object?)Tree.Of(("OutputKey", o.Key), ("OutputValue", o.Value))).ToList()),
        ("Tags", s.Tags.Select(t => (object?)Tree.Of(("Key", t.Key), ("Value", t.Value))).ToList()),
        ("DriftInformation", Tree.Of(("StackDriftStatus", s.DriftStatus), ("LastCheckTimestamp", s.DriftChecked))));

    /// <summary>
    /// Why CloudFormation could not act with the role, in its words; null when it is an IAM role of this account that
    /// exists, made by an administrator (<see cref="AddAccountRole"/>) or by a stack. Called under the gate.
    /// </summary>
    private string? RoleProblem(string roleArn)
    {
        if (!roleArn.StartsWith("arn:", StringComparison.Ordinal))
        {
            return $"{roleArn} is not a valid RoleARN";
        }

        var match = RoleArnPattern().Match(roleArn);
        var exists = match.Success && match.Groups["account"].Value == AccountId
            && (_accountRoles.Contains(roleArn) || _index.OfType("AWS::IAM::Role").Any(r => r.Attributes.TryGetValue("Arn", out var arn) && arn == roleArn));
        return exists ? null : $"Role {roleArn} is invalid or cannot be assumed";
    }

    [GeneratedRegex(@"^arn:aws:iam::(?<account>[0-9]{12}):role/[\w+=,.@/-]{1,512}$")]
    private static partial Regex RoleArnPattern();

    [GeneratedRegex("^[a-zA-Z][-a-zA-Z0-9]*$")]
    private static partial Regex ChangeSetNamePattern();

    // ---------------------------------------------------------------- state (plain data, saved as JSON)

    private static class Phases
    {
        public const string Apply = "APPLY";
        public const string Rollback = "ROLLBACK";
        public const string Cleanup = "CLEANUP";
        public const string RollbackCleanup = "ROLLBACK_CLEANUP";
        public const string Delete = "DELETE";
    }

    private static class Actions
    {
        public const string Apply = "APPLY";
        public const string Delete = "DELETE";
        public const string Revert = "REVERT";
    }

    private static class Stages
    {
        public const string Initiated = "INITIATED";
        public const string Waiting = "WAITING";
        public const string Failing = "FAILING";
    }

    private sealed class SavedState
    {
        public List<StackRecord> Stacks { get; set; } = [];

        public List<ChangeSetRecord> ChangeSets { get; set; } = [];

        public List<DriftDetection> Detections { get; set; } = [];

        public List<FailureRule> Failures { get; set; } = [];

        public Dictionary<string, int> ChangeSetsCreated { get; set; } = [];

        public Dictionary<string, int> Executions { get; set; } = [];

        public Dictionary<string, int> StacksCreated { get; set; } = [];

        public Dictionary<string, int> DeletesStarted { get; set; } = [];

        public List<LiveResource> Resources { get; set; } = [];
    }

    private sealed class StackRecord
    {
        public required string Id { get; init; }

        public required string Name { get; init; }

        public required string Region { get; init; }

        public string Status { get; set; } = "";

        public string? Reason { get; set; }

        public DateTimeOffset Created { get; init; }

        public DateTimeOffset? Updated { get; set; }

        public JsonObject? Template { get; set; }

        public Dictionary<string, string> Parameters { get; set; } = [];

        public List<TagRecord> Tags { get; set; } = [];

        public Dictionary<string, string> Outputs { get; set; } = new(StringComparer.Ordinal);

        public Dictionary<string, ResourceRecord> Resources { get; set; } = new(StringComparer.Ordinal);

        public List<EventRecord> Events { get; set; } = [];

        public Operation? Operation { get; set; }

        public List<ScriptedEvent> Script { get; set; } = [];

        /// <summary>Each resource's result of the last finished drift detection.</summary>
        public Dictionary<string, ResourceDrift> ResourceDrifts { get; set; } = new(StringComparer.Ordinal);

        public string DriftStatus { get; set; } = "NOT_CHECKED";

        public DateTimeOffset? DriftChecked { get; set; }

        public bool Deleted { get; set; }

        /// <summary>The service role associated with the stack by its last change set that named one.</summary>
        public string? RoleArn { get; set; }
    }

    /// <summary>A stack resource as CloudFormation tracks it.</summary>
    private sealed record ResourceRecord
    {
        public required string Type { get; init; }

        public required string PhysicalId { get; init; }

        public required JsonObject Properties { get; init; }

        public Dictionary<string, string> Attributes { get; init; } = new(StringComparer.Ordinal);

        public string Status { get; init; } = "";

        public string? DeletionPolicy { get; init; }
    }

    /// <summary>A stack operation under way: its phase, the work left in it, and what a rollback or cleanup needs.</summary>
    private sealed class Operation
    {
        public required string Kind { get; set; }

        public string? Token { get; set; }

        public required string Phase { get; set; }

        public DateTimeOffset NextAt { get; set; }

        public List<Work> Queue { get; set; } = [];

        public Work? Current { get; set; }

        /// <summary>What the apply phase did, in order: deletions undo creations, reverts undo updates and replacements.</summary>
        public List<Work> Touched { get; set; } = [];

        /// <summary>Resources to delete in the cleanup phase (replaced, removed, or created by a rolled back update).</summary>
        public List<Work> Retired { get; set; } = [];

        public List<string> Forced { get; set; } = [];

        public List<string> Failed { get; set; } = [];

        public Snapshot? Previous { get; set; }
    }

    private sealed class Work
    {
        public required string Logical { get; set; }

        public required string Action { get; set; }

        public ResourceRecord? Resource { get; set; }

        public ResourceRecord? Previous { get; set; }

        public string? Verb { get; set; }

        public string? Stage { get; set; }

        /// <summary>The failure reason, or while waiting the provider's last waiting text.</summary>
        public string? Failure { get; set; }
    }

    private sealed class Snapshot
    {
        public JsonObject? Template { get; set; }

        public Dictionary<string, string> Parameters { get; set; } = [];

        public List<TagRecord> Tags { get; set; } = [];

        public Dictionary<string, string> Outputs { get; set; } = [];

        public Dictionary<string, ResourceRecord> Resources { get; set; } = [];
    }

    private sealed class ChangeSetRecord
    {
        public required string Id { get; init; }

        public required string Name { get; init; }

        public required string StackId { get; init; }

        public required string StackName { get; init; }

        public required string Type { get; init; }

        public string? ClientToken { get; init; }

        public DateTimeOffset Created { get; init; }

        public required JsonObject Template { get; init; }

        public required Dictionary<string, string> Parameters { get; init; }

        public required List<TagRecord> Tags { get; init; }

        public required List<Change> Changes { get; init; }

        /// <summary>The service role CloudFormation acts with, when the change set named one.</summary>
        public string? RoleArn { get; init; }

        /// <summary>Why the change set failed (an export problem), else null.</summary>
        public string? FailureReason { get; init; }

        public bool Executed { get; set; }

        public string? ExecutionToken { get; set; }

        public bool Obsolete { get; set; }

        public bool Deleted { get; set; }
    }

    private sealed class DriftDetection
    {
        public required string Id { get; init; }

        public required string StackId { get; init; }

        public DateTimeOffset Started { get; init; }

        public bool Finished { get; set; }
    }

    /// <summary>A resource's drift as the last detection found it: IN_SYNC, MODIFIED (with the differences) or DELETED.</summary>
    private sealed class ResourceDrift
    {
        public required string Status { get; init; }

        public JsonObject? Actual { get; init; }

        public List<PropertyDifference> Differences { get; init; } = [];
    }

    private sealed record TagRecord(string Key, string Value);

    private sealed record FailureRule(string Stack, string Logical, string Reason);

    private sealed record ScriptedEvent(DateTimeOffset At, string Logical, string Type, string? Physical, string Status);

    private sealed record Change(string Action, string Logical, string Type, string? Physical, string? Replacement)
    {
        /// <summary>For a Modify: which attributes of the resource cause it (Properties, Tags).</summary>
        public List<string> Scope { get; init; } = [];

        public List<ChangeDetail> Details { get; init; } = [];
    }

    /// <summary>One ResourceChangeDetail: its target (Attribute, Name, RequiresRecreation), Evaluation and ChangeSource.</summary>
    private sealed record ChangeDetail(string Attribute, string? Name, string RequiresRecreation, string Evaluation, string ChangeSource);

    private sealed record EventRecord(string EventId, string Logical, string? Physical, string Type, string Status, string? Reason, string? Token, DateTimeOffset Timestamp);
}
