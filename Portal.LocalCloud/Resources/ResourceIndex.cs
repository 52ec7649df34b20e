using System.Text.Json.Nodes;

namespace Portal.LocalCloud.Resources;

/// <summary>
/// A resource the local cloud holds because a stack created it: its CloudFormation type, the physical id CloudFormation
/// reports for it (what <c>Ref</c> returns), its properties after every intrinsic function was resolved, and the
/// attributes <c>Fn::GetAtt</c> reads (for a distribution <c>DomainName</c> and <c>Id</c>, for a function
/// <c>FunctionARN</c> and <c>Stage</c>, ...).
/// </summary>
public sealed record LiveResource(
    string StackId,
    string LogicalId,
    string Type,
    string PhysicalId,
    JsonObject Properties,
    IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// Every live resource of the local cloud, by type and physical id: CloudFormation writes it as stacks create, update
/// and delete resources; the edge (distributions served on loopback) and the DNS server read it. Thread-safe; readers
/// get copies, and <see cref="Changed"/> tells them to read again.
/// </summary>
public sealed class ResourceIndex
{
    private readonly object _gate = new();
    private readonly Dictionary<(string Type, string PhysicalId), LiveResource> _resources = [];

    /// <summary>Raised after any change, outside the index's lock.</summary>
    public event Action? Changed;

    public void Put(LiveResource resource)
    {
        lock (_gate)
        {
            _resources[(resource.Type, resource.PhysicalId)] = resource;
        }

        Changed?.Invoke();
    }

    public bool Remove(string type, string physicalId)
    {
        bool removed;
        lock (_gate)
        {
            removed = _resources.Remove((type, physicalId));
        }

        if (removed)
        {
            Changed?.Invoke();
        }

        return removed;
    }

    public LiveResource? Find(string type, string physicalId)
    {
        lock (_gate)
        {
            return _resources.GetValueOrDefault((type, physicalId));
        }
    }

    public IReadOnlyList<LiveResource> OfType(string type)
    {
        lock (_gate)
        {
            return _resources.Values.Where(r => r.Type == type).OrderBy(r => r.PhysicalId, StringComparer.Ordinal).ToList();
        }
    }

    public IReadOnlyList<LiveResource> All()
    {
        lock (_gate)
        {
            return _resources.Values.OrderBy(r => r.Type, StringComparer.Ordinal).ThenBy(r => r.PhysicalId, StringComparer.Ordinal).ToList();
        }
    }
}
