using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;

namespace Portal.Infrastructure.Aws.CloudFormation;

/// <summary>The CloudFormation operations the portal uses, named as on <c>IAmazonCloudFormation</c>.</summary>
public interface ICloudFormationClient
{
    Task<CreateChangeSetResponse> CreateChangeSetAsync(string region, CreateChangeSetRequest request, CancellationToken ct = default);

    Task<DescribeChangeSetResponse> DescribeChangeSetAsync(string region, DescribeChangeSetRequest request, CancellationToken ct = default);

    Task ExecuteChangeSetAsync(string region, ExecuteChangeSetRequest request, CancellationToken ct = default);

    Task DeleteChangeSetAsync(string region, DeleteChangeSetRequest request, CancellationToken ct = default);

    Task<DescribeStacksResponse> DescribeStacksAsync(string region, DescribeStacksRequest request, CancellationToken ct = default);

    Task<DescribeStackEventsResponse> DescribeStackEventsAsync(string region, DescribeStackEventsRequest request, CancellationToken ct = default);

    Task DeleteStackAsync(string region, DeleteStackRequest request, CancellationToken ct = default);

    Task<DetectStackDriftResponse> DetectStackDriftAsync(string region, DetectStackDriftRequest request, CancellationToken ct = default);

    Task<DescribeStackDriftDetectionStatusResponse> DescribeStackDriftDetectionStatusAsync(string region, DescribeStackDriftDetectionStatusRequest request, CancellationToken ct = default);

    Task<DescribeStackResourceDriftsResponse> DescribeStackResourceDriftsAsync(string region, DescribeStackResourceDriftsRequest request, CancellationToken ct = default);
}

/// <summary>CloudFormation over its query protocol (form-encoded POST, XML answers), version 2010-05-15.</summary>
public sealed class CloudFormationClient(AwsHttpPipeline pipeline) : ICloudFormationClient
{
    public const string Service = "cloudformation";
    public const string ApiVersion = "2010-05-15";

    public async Task<CreateChangeSetResponse> CreateChangeSetAsync(string region, CreateChangeSetRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var q = new QueryWriter("CreateChangeSet")
            .Add("StackName", request.StackName)
            .Add("ChangeSetName", request.ChangeSetName)
            .Add("ChangeSetType", request.ChangeSetType)
            .Add("TemplateBody", request.TemplateBody)
            .Add("Description", request.Description)
            .Add("ClientToken", request.ClientToken)
            .Add("RoleARN", request.RoleArn);
        for (var i = 0; i < request.Parameters.Count; i++)
        {
            q.Add($"Parameters.member.{i + 1}.ParameterKey", request.Parameters[i].ParameterKey)
             .Add($"Parameters.member.{i + 1}.ParameterValue", request.Parameters[i].ParameterValue);
        }

        for (var i = 0; i < request.Tags.Count; i++)
        {
            q.Add($"Tags.member.{i + 1}.Key", request.Tags[i].Key).Add($"Tags.member.{i + 1}.Value", request.Tags[i].Value);
        }

        for (var i = 0; i < request.Capabilities.Count; i++)
        {
            q.Add($"Capabilities.member.{i + 1}", request.Capabilities[i]);
        }

        var result = await CallAsync(region, q, ct);
        return new(result.Text("Id") ?? "", result.Text("StackId") ?? "");
    }

    public async Task<DescribeChangeSetResponse> DescribeChangeSetAsync(string region, DescribeChangeSetRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var r = await CallAsync(region, new QueryWriter("DescribeChangeSet")
            .Add("ChangeSetName", request.ChangeSetName).Add("StackName", request.StackName).Add("NextToken", request.NextToken), ct);
        return new DescribeChangeSetResponse
        {
            ChangeSetName = r.Text("ChangeSetName") ?? "",
            ChangeSetId = r.Text("ChangeSetId") ?? "",
            StackId = r.Text("StackId") ?? "",
            StackName = r.Text("StackName") ?? "",
            Status = r.Text("Status") ?? "",
            StatusReason = r.Text("StatusReason"),
            ExecutionStatus = r.Text("ExecutionStatus") ?? "",
            NextToken = r.Text("NextToken"),
            Changes = r.Members("Changes").Select(c => c.Child("ResourceChange")).Where(c => c is not null).Select(c => new ResourceChange(
                c.Text("Action") ?? "", c.Text("LogicalResourceId") ?? "", c.Text("PhysicalResourceId"), c.Text("ResourceType") ?? "", c.Text("Replacement"))
            {
                Scope = c.Members("Scope").Select(s => s.Value).ToList(),
                Details = c.Members("Details").Select(d => new ResourceChangeDetail(
                    d.Child("Target").Text("Attribute"), d.Child("Target").Text("Name"), d.Child("Target").Text("RequiresRecreation"),
                    d.Text("Evaluation"), d.Text("ChangeSource"), d.Text("CausingEntity"))).ToList(),
            }).ToList(),
        };
    }

    public Task ExecuteChangeSetAsync(string region, ExecuteChangeSetRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CallAsync(region, new QueryWriter("ExecuteChangeSet")
            .Add("ChangeSetName", request.ChangeSetName).Add("StackName", request.StackName).Add("ClientRequestToken", request.ClientRequestToken), ct);
    }

    public Task DeleteChangeSetAsync(string region, DeleteChangeSetRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CallAsync(region, new QueryWriter("DeleteChangeSet").Add("ChangeSetName", request.ChangeSetName).Add("StackName", request.StackName), ct);
    }

    public async Task<DescribeStacksResponse> DescribeStacksAsync(string region, DescribeStacksRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var r = await CallAsync(region, new QueryWriter("DescribeStacks").Add("StackName", request.StackName).Add("NextToken", request.NextToken), ct);
        var stacks = r.Members("Stacks").Select(s => new Stack
        {
            StackId = s.Text("StackId") ?? "",
            StackName = s.Text("StackName") ?? "",
            StackStatus = s.Text("StackStatus") ?? "",
            StackStatusReason = s.Text("StackStatusReason"),
            CreationTime = s.Time("CreationTime") ?? default,
            LastUpdatedTime = s.Time("LastUpdatedTime"),
            Outputs = s.Members("Outputs").Select(o => new Output(o.Text("OutputKey") ?? "", o.Text("OutputValue") ?? "")).ToList(),
            Tags = s.Members("Tags").Select(t => new Tag(t.Text("Key") ?? "", t.Text("Value") ?? "")).ToList(),
            StackDriftStatus = s.Child("DriftInformation").Text("StackDriftStatus"),
        }).ToList();
        return new(stacks, r.Text("NextToken"));
    }

    public async Task<DescribeStackEventsResponse> DescribeStackEventsAsync(string region, DescribeStackEventsRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var r = await CallAsync(region, new QueryWriter("DescribeStackEvents").Add("StackName", request.StackName).Add("NextToken", request.NextToken), ct);
        var events = r.Members("StackEvents").Select(e => new StackEvent
        {
            StackId = e.Text("StackId") ?? "",
            EventId = e.Text("EventId") ?? "",
            StackName = e.Text("StackName") ?? "",
            LogicalResourceId = e.Text("LogicalResourceId"),
            PhysicalResourceId = e.Text("PhysicalResourceId"),
            ResourceType = e.Text("ResourceType"),
            Timestamp = e.Time("Timestamp") ?? default,
            ResourceStatus = e.Text("ResourceStatus"),
            ResourceStatusReason = e.Text("ResourceStatusReason"),
            ClientRequestToken = e.Text("ClientRequestToken"),
        }).ToList();
        return new(events, r.Text("NextToken"));
    }

    public Task DeleteStackAsync(string region, DeleteStackRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CallAsync(region, new QueryWriter("DeleteStack").Add("StackName", request.StackName).Add("ClientRequestToken", request.ClientRequestToken), ct);
    }

    public async Task<DetectStackDriftResponse> DetectStackDriftAsync(string region, DetectStackDriftRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var r = await CallAsync(region, new QueryWriter("DetectStackDrift").Add("StackName", request.StackName), ct);
        return new(r.Text("StackDriftDetectionId") ?? "");
    }

    public async Task<DescribeStackDriftDetectionStatusResponse> DescribeStackDriftDetectionStatusAsync(string region, DescribeStackDriftDetectionStatusRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var r = await CallAsync(region, new QueryWriter("DescribeStackDriftDetectionStatus").Add("StackDriftDetectionId", request.StackDriftDetectionId), ct);
        return new DescribeStackDriftDetectionStatusResponse
        {
            StackId = r.Text("StackId") ?? "",
            StackDriftDetectionId = r.Text("StackDriftDetectionId") ?? "",
            StackDriftStatus = r.Text("StackDriftStatus"),
            DetectionStatus = r.Text("DetectionStatus") ?? "",
            DetectionStatusReason = r.Text("DetectionStatusReason"),
            DriftedStackResourceCount = r.Int("DriftedStackResourceCount"),
            Timestamp = r.Time("Timestamp") ?? default,
        };
    }

    public async Task<DescribeStackResourceDriftsResponse> DescribeStackResourceDriftsAsync(string region, DescribeStackResourceDriftsRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var q = new QueryWriter("DescribeStackResourceDrifts").Add("StackName", request.StackName).Add("NextToken", request.NextToken);
        for (var i = 0; i < request.StackResourceDriftStatusFilters.Count; i++)
        {
            q.Add($"StackResourceDriftStatusFilters.member.{i + 1}", request.StackResourceDriftStatusFilters[i]);
        }

        var r = await CallAsync(region, q, ct);
        var drifts = r.Members("StackResourceDrifts").Select(d => new StackResourceDrift
        {
            StackId = d.Text("StackId") ?? "",
            LogicalResourceId = d.Text("LogicalResourceId") ?? "",
            PhysicalResourceId = d.Text("PhysicalResourceId"),
            ResourceType = d.Text("ResourceType") ?? "",
            StackResourceDriftStatus = d.Text("StackResourceDriftStatus") ?? "",
            Timestamp = d.Time("Timestamp") ?? default,
            PropertyDifferences = d.Members("PropertyDifferences").Select(p => new PropertyDifference(
                p.Text("PropertyPath") ?? "", p.Text("ExpectedValue"), p.Text("ActualValue"), p.Text("DifferenceType") ?? "")).ToList(),
        }).ToList();
        return new(drifts, r.Text("NextToken"));
    }

    /// <summary>Sends one call; returns its <c>&lt;{Action}Result&gt;</c> element (empty for operations without a result).</summary>
    private async Task<XElement?> CallAsync(string region, QueryWriter query, CancellationToken ct)
    {
        var response = await pipeline.SendAsync(new AwsHttpRequest(Service, region, query.Action, HttpMethod.Post, "/")
        {
            Body = Encoding.UTF8.GetBytes(query.ToString()),
            ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded") { CharSet = "utf-8" }.ToString(),
        }, ct);
        return response.Xml?.Root.Child(query.Action + "Result");
    }

    /// <summary>The query protocol's form body: Action, Version and the flattened members.</summary>
    private sealed class QueryWriter(string action)
    {
        private readonly List<KeyValuePair<string, string>> _values = [new("Action", action), new("Version", ApiVersion)];

        public string Action => action;

        public QueryWriter Add(string key, string? value)
        {
            if (value is not null)
            {
                _values.Add(new(key, value));
            }

            return this;
        }

        public override string ToString() =>
            string.Join("&", _values.Select(v => Uri.EscapeDataString(v.Key) + "=" + Uri.EscapeDataString(v.Value)));
    }
}
