using System.Text.Json.Nodes;

namespace Portal.LocalCloud.CloudFormation;

/// <summary>How long the fake's lifecycles take, on the fake's clock.</summary>
public sealed record LifecycleTimings
{
    public TimeSpan ChangeSetCreation { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Each resource event (in progress, complete) is this far after the previous one.</summary>
    public TimeSpan ResourceStep { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan DriftDetection { get; init; } = TimeSpan.FromMilliseconds(300);
}

/// <summary>
/// CloudFormation with real state: stacks, change sets, executions and drift detections, each playing out on a clock
/// as CloudFormation does (events in order, rollback on a failing resource, empty change sets failing with AWS's
/// reason). Counts every creation and execution so tests can prove nothing was done twice.
/// </summary>
public sealed class CloudFormationService(TimeProvider clock, LifecycleTimings timings)
{
    public const string AccountId = "123456789012";
    public const string NoChangesReason = "The submitted information didn't contain changes. Submit different information to create a change set.";

    private readonly object _gate = new();
    private readonly List<StackRecord> _stacks = [];
    private readonly Dictionary<string, ChangeSetRecord> _changeSets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DriftDetection> _detections = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Stack, string Resource), string> _failures = [];
    private readonly Random _random = new(7);

    /// <summary>Change sets actually created, per stack name (a retried create with its token is not a new one).</summary>
    public Dictionary<string, int> ChangeSetsCreated { get; } = new(StringComparer.Ordinal);

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
            _failures[(stackName, logicalResourceId)] = reason;
        }
    }

    public void ClearFailures()
    {
        lock (_gate)
        {
            _failures.Clear();
        }
    }

    /// <summary>Someone changed a resource outside CloudFormation: drift detection will find it.</summary>
    public void Drift(string region, string stackName, string logicalResourceId)
    {
        lock (_gate)
        {
            Find(region, stackName)!.Drifted.Add(logicalResourceId);
        }
    }

    /// <summary>Puts a stable stack in place directly (for the benchmark's thousand stacks).</summary>
    public string Seed(string region, string stackName, string status, IReadOnlyDictionary<string, string>? outputs = null)
    {
        lock (_gate)
        {
            var stack = NewStack(region, stackName);
            stack.Status = status;
            stack.Template = new JsonObject { ["Resources"] = new JsonObject { ["Bucket"] = new JsonObject { ["Type"] = "AWS::S3::Bucket" } } };
            stack.PhysicalIds["Bucket"] = stackName + "-bucket";
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
            var now = clock.GetUtcNow();
            stack.Status = "UPDATE_IN_PROGRESS";
            stack.Updated = now;
            AddEvent(stack, stackName, "AWS::CloudFormation::Stack", stack.Id, "UPDATE_IN_PROGRESS", "User Initiated", null, now);
            var steps = Math.Max(2, (int)(duration / TimeSpan.FromSeconds(30)));
            for (var i = 1; i < steps; i++)
            {
                var at = now + (duration * i / steps);
                stack.Script.Enqueue((at, s => AddEvent(s, "Bucket", "AWS::S3::Bucket", s.PhysicalIds["Bucket"], i % 2 == 1 ? "UPDATE_IN_PROGRESS" : "UPDATE_COMPLETE", null, null, at)));
            }

            stack.Script.Enqueue((now + duration, s => Finish(s, "UPDATE_COMPLETE", null, now + duration)));
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

    public IReadOnlyList<(string Region, string Name, string Id)> AllStacks()
    {
        lock (_gate)
        {
            return _stacks.Where(s => !s.Deleted).Select(s => (s.Region, s.Name, s.Id)).ToList();
        }
    }

    /// <summary>Physical ids of every live CloudFront distribution the stacks created.</summary>
    public bool HasDistribution(string id)
    {
        lock (_gate)
        {
            return _stacks.Any(s => !s.Deleted && s.Template?["Resources"] is JsonObject resources &&
                s.PhysicalIds.Any(p => p.Value == id && (string?)resources[p.Key]?["Type"] == "AWS::CloudFront::Distribution"));
        }
    }

    public AwsResult Handle(string operation, string region, Dictionary<string, object?> input)
    {
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

    private AwsResult CreateChangeSet(string region, Dictionary<string, object?> input)
    {
        var stackName = input.Str("StackName")!;
        var name = input.Str("ChangeSetName")!;
        var type = input.Str("ChangeSetType") ?? "UPDATE";
        var token = input.Str("ClientToken");
        var stack = Find(region, stackName);
        var existing = stack is null ? null : _changeSets.Values.FirstOrDefault(c => c.StackId == stack.Id && c.Name == name && !c.Deleted);
        if (existing is not null)
        {
            return token is not null && token == existing.ClientToken
                ? AwsResult.Ok(Tree.Of(("Id", existing.Id), ("StackId", existing.StackId)))
                : AwsResult.Fail(400, "AlreadyExistsException", $"ChangeSet {name} already exists");
        }

        JsonObject template;
        try
        {
            template = JsonNode.Parse(input.Str("TemplateBody") ?? "")?.AsObject() ?? throw new FormatException();
            if (template["Resources"] is not JsonObject { Count: > 0 })
            {
                return AwsResult.Validation("Template format error: At least one Resources member must be defined.");
            }
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            return AwsResult.Validation("Template format error: JSON not well-formed.");
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
            if (!parameters.ContainsKey(key))
            {
                parameters[key] = definition?["Default"]?.ToString() ?? "";
            }
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
                AddEvent(stack, stackName, "AWS::CloudFormation::Stack", stack.Id, "REVIEW_IN_PROGRESS", "User Initiated", null, clock.GetUtcNow());
            }
        }
        else if (stack is null)
        {
            return AwsResult.Validation($"Stack [{stackName}] does not exist");
        }
        else if (stack.Status == "REVIEW_IN_PROGRESS" || IsInProgress(stack.Status))
        {
            return AwsResult.Validation($"Stack:{stack.Id} is in {stack.Status} state and can not be updated.");
        }

        var tags = input.List("Tags").Cast<Dictionary<string, object?>>().Select(t => (t.Str("Key")!, t.Str("Value") ?? "")).ToList();
        var changeSet = new ChangeSetRecord
        {
            Id = $"arn:aws:cloudformation:{region}:{AccountId}:changeSet/{name}/{Guid.NewGuid()}",
            Name = name,
            StackId = stack.Id,
            StackName = stack.Name,
            Type = type,
            ClientToken = token,
            Created = clock.GetUtcNow(),
            Template = template,
            Parameters = parameters,
            Tags = tags,
            Changes = Diff(stack, template, parameters, tags, type),
        };
        _changeSets[changeSet.Id] = changeSet;
        ChangeSetsCreated[stackName] = ChangeSetsCreated.GetValueOrDefault(stackName) + 1;
        return AwsResult.Ok(Tree.Of(("Id", changeSet.Id), ("StackId", stack.Id)));
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
                ("Replacement", c.Action == "Modify" ? "False" : null))))).ToList()
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
        changeSet.Executed = true;
        changeSet.ExecutionToken = token;
        Executions[changeSet.Name] = Executions.GetValueOrDefault(changeSet.Name) + 1;
        foreach (var other in _changeSets.Values.Where(c => c.StackId == stack.Id && c != changeSet))
        {
            other.Obsolete = true;
        }

        PlayExecution(stack, changeSet, token);
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
        var next = start + PageSize < all.Count ? (start + PageSize).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
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
        var next = start + PageSize < newestFirst.Count ? (start + PageSize).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
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
        var now = clock.GetUtcNow();
        stack.Status = "DELETE_IN_PROGRESS";
        AddEvent(stack, stack.Name, "AWS::CloudFormation::Stack", stack.Id, "DELETE_IN_PROGRESS", "User Initiated", token, now);
        var at = now;
        foreach (var logical in stack.PhysicalIds.Keys.Reverse().ToList())
        {
            var type = ResourceType(stack.Template, logical);
            at += timings.ResourceStep;
            var t1 = at;
            stack.Script.Enqueue((t1, s => AddEvent(s, logical, type, s.PhysicalIds[logical], "DELETE_IN_PROGRESS", null, token, t1)));
            at += timings.ResourceStep;
            var t2 = at;
            stack.Script.Enqueue((t2, s => AddEvent(s, logical, type, s.PhysicalIds[logical], "DELETE_COMPLETE", null, token, t2)));
        }

        at += timings.ResourceStep;
        var end = at;
        stack.Script.Enqueue((end, s =>
        {
            Finish(s, "DELETE_COMPLETE", null, end);
            s.Deleted = true;
        }));
        return AwsResult.Ok();
    }

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

        var detection = new DriftDetection(Guid.NewGuid().ToString(), stack, clock.GetUtcNow());
        _detections[detection.Id] = detection;
        return AwsResult.Ok(Tree.Of(("StackDriftDetectionId", detection.Id)));
    }

    private AwsResult DescribeDetection(Dictionary<string, object?> input)
    {
        if (!_detections.TryGetValue(input.Str("StackDriftDetectionId")!, out var d))
        {
            return AwsResult.Validation("Drift detection id not found");
        }

        var done = clock.GetUtcNow() >= d.Started + timings.DriftDetection;
        var drifted = d.Stack.Drifted.Count;
        if (done)
        {
            d.Stack.DriftStatus = drifted > 0 ? "DRIFTED" : "IN_SYNC";
            d.Stack.DriftChecked = d.Started + timings.DriftDetection;
        }

        return AwsResult.Ok(Tree.Of(
            ("StackId", d.Stack.Id), ("StackDriftDetectionId", d.Id),
            ("StackDriftStatus", done ? d.Stack.DriftStatus : null),
            ("DetectionStatus", done ? "DETECTION_COMPLETE" : "DETECTION_IN_PROGRESS"),
            ("DriftedStackResourceCount", done ? drifted : null),
            ("Timestamp", d.Started)));
    }

    private AwsResult DescribeResourceDrifts(string region, Dictionary<string, object?> input)
    {
        var stack = Find(region, input.Str("StackName")!);
        if (stack is null)
        {
            return AwsResult.Validation($"Stack [{input.Str("StackName")}] does not exist");
        }

        var filters = input.List("StackResourceDriftStatusFilters").Cast<string>().ToHashSet();
        var drifts = stack.PhysicalIds.Select(p =>
        {
            var drifted = stack.Drifted.Contains(p.Key);
            var status = drifted ? "MODIFIED" : "IN_SYNC";
            return (Status: status, Tree: Tree.Of(
                ("StackId", stack.Id), ("LogicalResourceId", p.Key), ("PhysicalResourceId", p.Value), ("ResourceType", ResourceType(stack.Template, p.Key)),
                ("ExpectedProperties", "{}"), ("ActualProperties", drifted ? "{\"Changed\":true}" : "{}"),
                ("PropertyDifferences", drifted ? new List<object?> { Tree.Of(("PropertyPath", "/Changed"), ("ExpectedValue", "null"), ("ActualValue", "true"), ("DifferenceType", "ADD")) } : null),
                ("StackResourceDriftStatus", status), ("Timestamp", stack.DriftChecked ?? clock.GetUtcNow())));
        }).Where(d => filters.Count == 0 || filters.Contains(d.Status)).Select(d => (object?)d.Tree).ToList();
        return AwsResult.Ok(Tree.Of(("StackResourceDrifts", drifts)));
    }

    // ---------------------------------------------------------------- lifecycle

    private void PlayExecution(StackRecord stack, ChangeSetRecord changeSet, string? token)
    {
        var now = clock.GetUtcNow();
        var creating = changeSet.Type == "CREATE";
        var verb = creating ? "CREATE" : "UPDATE";
        var previous = (Template: stack.Template, Parameters: stack.Parameters, Physical: new Dictionary<string, string>(stack.PhysicalIds));
        stack.Template = changeSet.Template;
        stack.Parameters = changeSet.Parameters;
        stack.Tags = changeSet.Tags;
        stack.Status = verb + "_IN_PROGRESS";
        if (!creating)
        {
            stack.Updated = now;
        }

        AddEvent(stack, stack.Name, "AWS::CloudFormation::Stack", stack.Id, verb + "_IN_PROGRESS", "User Initiated", token, now);
        var at = now;
        var done = new List<string>();
        foreach (var change in changeSet.Changes.Where(c => c.Action != "Remove"))
        {
            var logical = change.Logical;
            var type = change.Type;
            var resourceVerb = change.Action == "Add" ? "CREATE" : "UPDATE";
            at += timings.ResourceStep;
            var t1 = at;
            stack.Script.Enqueue((t1, s =>
            {
                s.PhysicalIds.TryAdd(logical, PhysicalId(s.Name, logical, type));

                AddEvent(s, logical, type, s.PhysicalIds[logical], resourceVerb + "_IN_PROGRESS", null, token, t1);
            }));
            at += timings.ResourceStep;
            var t2 = at;
            if (_failures.TryGetValue((stack.Name, logical), out var reason))
            {
                stack.Script.Enqueue((t2, s => AddEvent(s, logical, type, s.PhysicalIds[logical], resourceVerb + "_FAILED", reason, token, t2)));
                PlayRollback(stack, creating, done.Append(logical).ToList(), previous, token, at, logical);
                return;
            }

            stack.Script.Enqueue((t2, s => AddEvent(s, logical, type, s.PhysicalIds[logical], resourceVerb + "_COMPLETE", null, token, t2)));
            done.Add(logical);
        }

        if (!creating)
        {
            at += timings.ResourceStep;
            var cleanup = at;
            stack.Script.Enqueue((cleanup, s => AddEvent(s, s.Name, "AWS::CloudFormation::Stack", s.Id, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", null, token, cleanup)));
            foreach (var removed in changeSet.Changes.Where(c => c.Action == "Remove"))
            {
                at += timings.ResourceStep;
                var t = at;
                stack.Script.Enqueue((t, s =>
                {
                    AddEvent(s, removed.Logical, removed.Type, removed.Physical, "DELETE_COMPLETE", null, token, t);
                    s.PhysicalIds.Remove(removed.Logical);
                }));
            }
        }

        at += timings.ResourceStep;
        var end = at;
        stack.Script.Enqueue((end, s => Finish(s, verb + "_COMPLETE", null, end)));
    }

    private void PlayRollback(StackRecord stack, bool creating, List<string> touched, (JsonObject? Template, Dictionary<string, string> Parameters, Dictionary<string, string> Physical) previous,
        string? token, DateTimeOffset at, string failed)
    {
        var reason = creating
            ? $"The following resource(s) failed to create: [{failed}]. Rollback requested by user."
            : $"The following resource(s) failed to update: [{failed}]. ";
        at += timings.ResourceStep;
        var t0 = at;
        stack.Script.Enqueue((t0, s =>
        {
            s.Status = creating ? "ROLLBACK_IN_PROGRESS" : "UPDATE_ROLLBACK_IN_PROGRESS";
            s.Reason = reason;
            AddEvent(s, s.Name, "AWS::CloudFormation::Stack", s.Id, s.Status, reason, token, t0);
        }));
        foreach (var logical in Enumerable.Reverse(touched))
        {
            at += timings.ResourceStep;
            var t = at;
            var type = ResourceType(stack.Template, logical);
            stack.Script.Enqueue((t, s => AddEvent(s, logical, type, s.PhysicalIds.GetValueOrDefault(logical), creating ? "DELETE_COMPLETE" : "UPDATE_COMPLETE", null, token, t)));
        }

        at += timings.ResourceStep;
        var end = at;
        stack.Script.Enqueue((end, s =>
        {
            if (creating)
            {
                s.PhysicalIds.Clear();
            }
            else
            {
                s.Template = previous.Template;
                s.Parameters = previous.Parameters;
                s.PhysicalIds.Clear();
                foreach (var (k, v) in previous.Physical)
                {
                    s.PhysicalIds[k] = v;
                }
            }

            Finish(s, creating ? "ROLLBACK_COMPLETE" : "UPDATE_ROLLBACK_COMPLETE", null, end);
        }));
    }

    private static void Finish(StackRecord stack, string status, string? reason, DateTimeOffset at)
    {
        stack.Status = status;
        if (reason is not null)
        {
            stack.Reason = reason;
        }

        if (status is "CREATE_COMPLETE" or "UPDATE_COMPLETE")
        {
            stack.Reason = null;
            stack.Outputs.Clear();
            foreach (var (key, output) in stack.Template?["Outputs"] as JsonObject ?? [])
            {
                // An output whose condition is false does not exist, as in CloudFormation.
                if (output?["Condition"] is JsonValue condition && !ConditionHolds(stack, condition.GetValue<string>()))
                {
                    continue;
                }

                stack.Outputs[key] = OutputValue(stack, key, output?["Value"]);
            }
        }

        AddEvent(stack, stack.Name, "AWS::CloudFormation::Stack", stack.Id, status, null, stack.Events.LastOrDefault()?.Token, at);
    }

    /// <summary>A template condition with the stack's parameters (defaults where none was given): Equals, Not, And, Or and Condition.</summary>
    private static bool ConditionHolds(StackRecord stack, string name)
    {
        bool Truth(JsonNode node)
        {
            var (function, argument) = node.AsObject().First();
            var args = argument as JsonArray;
            return function switch
            {
                "Condition" => ConditionHolds(stack, argument!.GetValue<string>()),
                "Fn::Equals" => Value(args![0]!) == Value(args[1]!),
                "Fn::Not" => !Truth(args![0]!),
                "Fn::And" => args!.All(a => Truth(a!)),
                "Fn::Or" => args!.Any(a => Truth(a!)),
                _ => throw new NotSupportedException($"The loopback does not evaluate {function} in conditions."),
            };
        }

        string Value(JsonNode node) => node is JsonObject reference && reference["Ref"] is JsonValue r
            ? stack.Parameters.TryGetValue(r.GetValue<string>(), out var given) ? given : stack.Template?["Parameters"]?[r.GetValue<string>()]?["Default"]?.ToString() ?? ""
            : node.ToString();

        return Truth(stack.Template!["Conditions"]![name]!);
    }

    private static string OutputValue(StackRecord stack, string key, JsonNode? value)
    {
        if (value is JsonValue v && v.TryGetValue<string>(out var text))
        {
            return text;
        }

        if (value?["Ref"] is JsonValue r && r.TryGetValue<string>(out var target))
        {
            return stack.Parameters.TryGetValue(target, out var p) ? p : stack.PhysicalIds.GetValueOrDefault(target, target);
        }

        if (value?["Fn::GetAtt"] is JsonArray roleAtt && roleAtt.Count == 2 && (string?)roleAtt[1] == "Arn"
            && (string?)stack.Template?["Resources"]?[(string)roleAtt[0]!]?["Type"] == "AWS::IAM::Role")
        {
            return $"arn:aws:iam::{AccountId}:role/{stack.Name}-{(string)roleAtt[0]!}";
        }

        if (value?["Fn::GetAtt"] is JsonArray getAtt && getAtt.Count == 2 && (string?)getAtt[1] == "DomainName")
        {
            return $"d{Math.Abs(stack.Id.GetHashCode(StringComparison.Ordinal)) % 1_000_000:000000}abcdef.cloudfront.net";
        }

        return $"{key}-of-{stack.Name}";
    }

    private void Advance(StackRecord stack)
    {
        var now = clock.GetUtcNow();
        while (stack.Script.Count > 0 && stack.Script.Peek().At <= now)
        {
            stack.Script.Dequeue().Apply(stack);
        }
    }

    private (string Status, string? Reason, string Execution) ChangeSetState(ChangeSetRecord changeSet)
    {
        var age = clock.GetUtcNow() - changeSet.Created;
        if (age < timings.ChangeSetCreation / 2)
        {
            return ("CREATE_PENDING", null, "UNAVAILABLE");
        }

        if (age < timings.ChangeSetCreation)
        {
            return ("CREATE_IN_PROGRESS", null, "UNAVAILABLE");
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

    private static List<Change> Diff(StackRecord stack, JsonObject template, Dictionary<string, string> parameters, List<(string, string)> tags, string type)
    {
        var newResources = template["Resources"]!.AsObject();
        if (type == "CREATE" || stack.Template is null)
        {
            return newResources.Select(r => new Change("Add", r.Key, (string?)r.Value?["Type"] ?? "AWS::CloudFormation::CustomResource", null)).ToList();
        }

        var oldResources = stack.Template["Resources"]!.AsObject();
        var changes = new List<Change>();
        var parametersChanged = !parameters.OrderBy(p => p.Key).SequenceEqual(stack.Parameters.OrderBy(p => p.Key)) || !tags.SequenceEqual(stack.Tags);
        foreach (var (logical, resource) in newResources)
        {
            var resourceType = (string?)resource?["Type"] ?? "";
            if (!oldResources.ContainsKey(logical))
            {
                changes.Add(new("Add", logical, resourceType, null));
            }
            else if (parametersChanged || !JsonNode.DeepEquals(oldResources[logical], resource))
            {
                changes.Add(new("Modify", logical, resourceType, stack.PhysicalIds.GetValueOrDefault(logical)));
            }
        }

        foreach (var (logical, resource) in oldResources.Where(r => !newResources.ContainsKey(r.Key)))
        {
            changes.Add(new("Remove", logical, (string?)resource?["Type"] ?? "", stack.PhysicalIds.GetValueOrDefault(logical)));
        }

        return changes;
    }

    private StackRecord NewStack(string region, string name)
    {
        var stack = new StackRecord
        {
            Id = $"arn:aws:cloudformation:{region}:{AccountId}:stack/{name}/{Guid.NewGuid()}",
            Name = name,
            Region = region,
            Created = clock.GetUtcNow(),
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

    private string PhysicalId(string stackName, string logical, string type)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return type == "AWS::CloudFront::Distribution"
            ? "E" + new string(Enumerable.Range(0, 13).Select(_ => Alphabet[_random.Next(Alphabet.Length)]).ToArray())
            : $"{stackName}-{logical}-{_random.Next(100000, 999999)}";
    }

    private static string ResourceType(JsonObject? template, string logical) => (string?)template?["Resources"]?[logical]?["Type"] ?? "AWS::CloudFormation::CustomResource";

    private static bool IsInProgress(string status) => status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal) && status != "REVIEW_IN_PROGRESS";

    private static void AddEvent(StackRecord stack, string logical, string type, string? physical, string status, string? reason, string? token, DateTimeOffset at)
    {
        if (logical == stack.Name && type == "AWS::CloudFormation::Stack")
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

        public List<(string Key, string Value)> Tags { get; set; } = [];

        public Dictionary<string, string> Outputs { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> PhysicalIds { get; } = new(StringComparer.Ordinal);

        public List<EventRecord> Events { get; } = [];

        public Queue<(DateTimeOffset At, Action<StackRecord> Apply)> Script { get; } = new();

        public HashSet<string> Drifted { get; } = new(StringComparer.Ordinal);

        public string DriftStatus { get; set; } = "NOT_CHECKED";

        public DateTimeOffset? DriftChecked { get; set; }

        public bool Deleted { get; set; }
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

        public required List<(string Key, string Value)> Tags { get; init; }

        public required List<Change> Changes { get; init; }

        public bool Executed { get; set; }

        public string? ExecutionToken { get; set; }

        public bool Obsolete { get; set; }

        public bool Deleted { get; set; }
    }

    private sealed record Change(string Action, string Logical, string Type, string? Physical);

    private sealed record EventRecord(string EventId, string Logical, string? Physical, string Type, string Status, string? Reason, string? Token, DateTimeOffset Timestamp);

    private sealed record DriftDetection(string Id, StackRecord Stack, DateTimeOffset Started);
}
