using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.LocalCloud.CloudFront;

/// <summary>CloudFront invalidations of the distributions the fake CloudFormation created; CallerReference makes a repeat the same invalidation.</summary>
public sealed class CloudFrontService(TimeProvider clock, Func<string, bool> distributionExists, TimeSpan completion)
{
    private readonly object _gate = new();
    private readonly List<Inv> _invalidations = [];

    /// <summary>Invalidations actually created, per distribution.</summary>
    public Dictionary<string, int> InvalidationsCreated { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<(string DistributionId, IReadOnlyList<string> Paths)> Invalidations
    {
        get
        {
            lock (_gate)
            {
                return _invalidations.Select(i => (i.DistributionId, (IReadOnlyList<string>)i.Paths)).ToList();
            }
        }
    }

    /// <summary>Every invalidation and the creation counts, as JSON.</summary>
    public JsonObject SaveState()
    {
        lock (_gate)
        {
            return new JsonObject
            {
                [nameof(Invalidations)] = JsonSerializer.SerializeToNode(_invalidations),
                [nameof(InvalidationsCreated)] = JsonSerializer.SerializeToNode(InvalidationsCreated),
            };
        }
    }

    /// <summary>Replaces every invalidation and count with the saved ones.</summary>
    public void RestoreState(JsonObject state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var invalidations = state[nameof(Invalidations)].Deserialize<List<Inv>>() ?? throw new ArgumentException("Not a saved CloudFront state.", nameof(state));
        var created = state[nameof(InvalidationsCreated)].Deserialize<Dictionary<string, int>>() ?? [];
        lock (_gate)
        {
            _invalidations.Clear();
            _invalidations.AddRange(invalidations);
            InvalidationsCreated.Clear();
            foreach (var (k, v) in created)
            {
                InvalidationsCreated[k] = v;
            }
        }
    }

    public AwsResult Handle(string operation, Dictionary<string, object?> input)
    {
        lock (_gate)
        {
            var distribution = input.Str("DistributionId")!;
            if (!distributionExists(distribution))
            {
                return AwsResult.Fail(404, "NoSuchDistribution", "The specified distribution does not exist.");
            }

            switch (operation)
            {
                case "CreateInvalidation":
                    var batch = (Dictionary<string, object?>)input["InvalidationBatch"]!;
                    var reference = batch.Str("CallerReference")!;
                    var paths = ((Dictionary<string, object?>)batch["Paths"]!).List("Items").Cast<string>().ToList();
                    var quantity = ((Dictionary<string, object?>)batch["Paths"]!).Str("Quantity");
                    if (quantity != paths.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    {
                        return AwsResult.Fail(400, "InconsistentQuantities", "The value of Quantity and the size of Items don't match.");
                    }

                    var existing = _invalidations.FirstOrDefault(i => i.DistributionId == distribution && i.CallerReference == reference);
                    if (existing is not null && !existing.Paths.SequenceEqual(paths))
                    {
                        return AwsResult.Fail(409, "InvalidationBatchAlreadyExists", "The CallerReference was used for a different batch.");
                    }

                    if (existing is null)
                    {
                        existing = new Inv("I" + Guid.NewGuid().ToString("N")[..13].ToUpperInvariant(), distribution, reference, paths, clock.GetUtcNow());
                        _invalidations.Add(existing);
                        InvalidationsCreated[distribution] = InvalidationsCreated.GetValueOrDefault(distribution) + 1;
                    }

                    return AwsResult.Ok(Tree.Of(
                        ("Location", $"https://cloudfront.amazonaws.com/2020-05-31/distribution/{distribution}/invalidation/{existing.Id}"),
                        ("Invalidation", Describe(existing))));
                case "GetInvalidation":
                    var found = _invalidations.FirstOrDefault(i => i.DistributionId == distribution && i.Id == input.Str("Id"));
                    return found is null
                        ? AwsResult.Fail(404, "NoSuchInvalidation", "The specified invalidation does not exist.")
                        : AwsResult.Ok(Tree.Of(("Invalidation", Describe(found))));
                default:
                    return AwsResult.Fail(400, "InvalidAction", $"The loopback endpoint does not implement {operation}.");
            }
        }
    }

    private Dictionary<string, object?> Describe(Inv i) => Tree.Of(
        ("Id", i.Id),
        ("Status", clock.GetUtcNow() >= i.Created + completion ? "Completed" : "InProgress"),
        ("CreateTime", i.Created),
        ("InvalidationBatch", Tree.Of(
            ("Paths", Tree.Of(("Quantity", i.Paths.Count), ("Items", i.Paths.Cast<object?>().ToList()))),
            ("CallerReference", i.CallerReference))));

    private sealed record Inv(string Id, string DistributionId, string CallerReference, List<string> Paths, DateTimeOffset Created);
}
