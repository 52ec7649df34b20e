namespace Portal.Sandbox;

/// <summary>A hosted zone of the sandbox, as the request forms offer it.</summary>
public sealed record SandboxZone(string Name, string Id);

/// <summary>The sandbox's hosted zones, so a person trying the portal picks one instead of inventing ids; none outside sandbox mode.</summary>
public sealed class SandboxZones(Func<IReadOnlyList<SandboxZone>> list)
{
    public static SandboxZones None { get; } = new(() => []);

    public IReadOnlyList<SandboxZone> List() => list();

    internal static SandboxZones Of(SandboxCloud cloud) => new(() => cloud.Endpoint.Route53.Zones()
        .Where(z => !z.Private)
        .Select(z => new SandboxZone(z.Name.TrimEnd('.'), z.Id))
        .OrderBy(z => z.Name, StringComparer.Ordinal)
        .ToList());
}
