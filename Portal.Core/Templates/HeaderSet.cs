using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Portal.Core.Templates;

/// <summary>
/// The security headers one response headers policy serves (the parameters of <c>templates/headers.yaml</c>).
/// Distributions with equal header sets share one policy and one origin access control in a headers stack; CloudFront
/// lets each serve at most 100 distributions, so a header set is split into shards and each distribution's name picks
/// one by <see cref="Shards.Of"/>.
/// </summary>
public sealed record HeaderSet(string ContentSecurityPolicy, string ReferrerPolicy, string PermissionsPolicy, bool HstsPreload)
{
    /// <summary>What a redirect name and an MTA-STS host serve: nothing may load, nothing is referred.</summary>
    public const string LockedDownCsp = "default-src 'none'; frame-ancestors 'none'";

    /// <summary>The header set of a redirect name (the site's preload choice) and, with preload, of an MTA-STS host.</summary>
    public static HeaderSet LockedDown(bool hstsPreload) => new(LockedDownCsp, "no-referrer", "", hstsPreload);

    /// <summary>16 hex digits of the SHA-256 of the values and the shard: equal sets in the same shard give the same key.</summary>
    public string Key(int shard)
    {
        var canonical = JsonSerializer.Serialize(new object[] { ContentSecurityPolicy, ReferrerPolicy, PermissionsPolicy, HstsPreload, shard });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..StackNaming.HashLength];
    }

    /// <summary>The headers stack's parameters.</summary>
    public IReadOnlyDictionary<string, string> Parameters() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ContentSecurityPolicy"] = ContentSecurityPolicy,
        ["ReferrerPolicy"] = ReferrerPolicy,
        ["PermissionsPolicy"] = PermissionsPolicy,
        ["HstsPreload"] = HstsPreload ? "true" : "false",
    };
}

/// <summary>A stable spread of names over a fixed number of copies of a shared resource.</summary>
public static class Shards
{
    /// <returns>0 to <paramref name="count"/> - 1, the same for the same name on every machine and run.</returns>
    public static int Of(string name, int count)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        return (int)(BinaryPrimitives.ReadUInt32BigEndian(digest) % (uint)count);
    }
}
