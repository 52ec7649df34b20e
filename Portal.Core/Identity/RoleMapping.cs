using System.Security.Claims;
using Portal.Core.Workflow;

namespace Portal.Core.Identity;

/// <summary>
/// Portal roles from the provider's token: the values of <see cref="ClaimType"/> (Entra app roles or group ids, a
/// Keycloak or Okta roles claim, ...) are either a role's own name (Requester, Approver, Admin; case-insensitive) or
/// a key of <see cref="ValueMap"/>. Other values are ignored: a person with none of them has no role.
/// </summary>
public sealed record RoleMapping(string ClaimType, IReadOnlyDictionary<string, PortalRole> ValueMap)
{
    public static RoleMapping ByName(string claimType) => new(claimType, new Dictionary<string, PortalRole>());

    public IReadOnlySet<PortalRole> RolesOf(IEnumerable<Claim> claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var roles = new HashSet<PortalRole>();
        foreach (var value in ClaimValues.Of(claims, ClaimType))
        {
            if (ValueMap.TryGetValue(value, out var mapped))
            {
                roles.Add(mapped);
            }
            else if (TryParseRole(value, out var named))
            {
                roles.Add(named);
            }
        }

        return roles;
    }

    public static bool TryParseRole(string? value, out PortalRole role)
    {
        role = default;
        return !string.IsNullOrWhiteSpace(value)
            && !value.Any(char.IsDigit)
            && Enum.TryParse(value.Trim(), ignoreCase: true, out role)
            && Enum.IsDefined(role);
    }
}
