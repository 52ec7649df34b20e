using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Portal.LocalCloud.Resources;

namespace Portal.Tests.LocalCloud.CloudFormation;

/// <summary>
/// Drives a <see cref="CloudFormationService"/> through <c>Handle</c> with input trees shaped as the wire reader makes
/// them (lists of member trees, strings), on a fake clock.
/// </summary>
internal sealed class CloudFormationHarness
{
    public const string Region = "us-east-1";

    public CloudFormationHarness(ResourceProviders? providers = null)
    {
        Index = new ResourceIndex();
        Engine = new CloudFormationService(Clock, Timings, Index, providers ?? ResourceProviders.Generic, new Route53Service());
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    public LifecycleTimings Timings { get; } = new();

    public ResourceIndex Index { get; }

    public CloudFormationService Engine { get; }

    public static Dictionary<string, object?> Input(params (string Key, object? Value)[] members) => Tree.Of(members);

    public AwsResult CreateChangeSet(string stack, string name, JsonObject template, IReadOnlyDictionary<string, string>? parameters = null,
        string type = "CREATE", IReadOnlyList<string>? capabilities = null, string? token = null, string? body = null) =>
        Engine.Handle("CreateChangeSet", Region, Input(
            ("StackName", stack), ("ChangeSetName", name), ("ChangeSetType", type), ("ClientToken", token),
            ("TemplateBody", body ?? template.ToJsonString()),
            ("Parameters", (parameters ?? new Dictionary<string, string>()).Select(p => (object?)Input(("ParameterKey", p.Key), ("ParameterValue", p.Value))).ToList()),
            ("Capabilities", (capabilities ?? []).Cast<object?>().ToList())));

    /// <summary>Creates and executes a change set; returns the CreateChangeSet result (failed ones are not executed).</summary>
    public AwsResult Start(string stack, string name, JsonObject template, IReadOnlyDictionary<string, string>? parameters = null,
        string type = "CREATE", IReadOnlyList<string>? capabilities = null)
    {
        var created = CreateChangeSet(stack, name, template, parameters, type, capabilities);
        if (created.Error is not null)
        {
            return created;
        }

        Clock.Advance(Timings.ChangeSetCreation);
        var executed = Engine.Handle("ExecuteChangeSet", Region, Input(("ChangeSetName", name), ("StackName", stack)));
        Assert.Null(executed.Error);
        return created;
    }

    /// <summary>Lets the clock run until the stack is no longer in progress.</summary>
    public string Settle(string stack)
    {
        for (var i = 0; i < 500; i++)
        {
            var status = Engine.StatusOf(Region, stack);
            if (status is null || !status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal))
            {
                return status ?? "GONE";
            }

            Clock.Advance(Timings.ResourceStep);
        }

        throw new InvalidOperationException($"{stack} never settled.");
    }

    public string Deploy(string stack, string name, JsonObject template, IReadOnlyDictionary<string, string>? parameters = null, string type = "CREATE")
    {
        var created = Start(stack, name, template, parameters, type);
        Assert.Null(created.Error);
        return Settle(stack);
    }

    /// <summary>The stack's events, oldest first, as (logical id, status, reason, physical id).</summary>
    public List<(string Logical, string Status, string? Reason, string? Physical)> Events(string stack)
    {
        var result = Engine.Handle("DescribeStackEvents", Region, Input(("StackName", stack)));
        return result.Output!.List("StackEvents").Cast<Dictionary<string, object?>>()
            .Select(e => (e.Str("LogicalResourceId")!, e.Str("ResourceStatus")!, e.Str("ResourceStatusReason"), e.Str("PhysicalResourceId")))
            .Reverse().ToList();
    }

    public Dictionary<string, object?> Stack(string stack) =>
        (Dictionary<string, object?>)Engine.Handle("DescribeStacks", Region, Input(("StackName", stack))).Output!.List("Stacks")[0]!;

    public Dictionary<string, string> Outputs(string stack) =>
        Stack(stack).List("Outputs").Cast<Dictionary<string, object?>>().ToDictionary(o => o.Str("OutputKey")!, o => o.Str("OutputValue")!);

    public static JsonObject Template(JsonObject resources, JsonObject? parameters = null, JsonObject? outputs = null, JsonObject? conditions = null)
    {
        var template = new JsonObject { ["AWSTemplateFormatVersion"] = "2010-09-09" };
        if (parameters is not null)
        {
            template["Parameters"] = parameters;
        }

        if (conditions is not null)
        {
            template["Conditions"] = conditions;
        }

        template["Resources"] = resources;
        if (outputs is not null)
        {
            template["Outputs"] = outputs;
        }

        return template;
    }

    public static JsonObject Bucket(string? name = null, string? dependsOn = null, string? deletionPolicy = null)
    {
        var bucket = new JsonObject { ["Type"] = "AWS::S3::Bucket" };
        if (deletionPolicy is not null)
        {
            bucket["DeletionPolicy"] = deletionPolicy;
        }

        if (dependsOn is not null)
        {
            bucket["DependsOn"] = dependsOn;
        }

        if (name is not null)
        {
            bucket["Properties"] = new JsonObject { ["BucketName"] = name };
        }

        return bucket;
    }

    public static JsonObject Role(string? name = null, string? condition = null)
    {
        var properties = new JsonObject
        {
            ["AssumeRolePolicyDocument"] = new JsonObject
            {
                ["Version"] = "2012-10-17",
                ["Statement"] = new JsonArray(new JsonObject { ["Effect"] = "Allow", ["Principal"] = new JsonObject { ["Service"] = "lambda.amazonaws.com" }, ["Action"] = "sts:AssumeRole" }),
            },
        };
        if (name is not null)
        {
            properties["RoleName"] = name;
        }

        var role = new JsonObject { ["Type"] = "AWS::IAM::Role", ["Properties"] = properties };
        if (condition is not null)
        {
            role["Condition"] = condition;
        }

        return role;
    }
}
