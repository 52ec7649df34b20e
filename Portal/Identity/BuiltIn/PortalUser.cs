using Microsoft.AspNetCore.Identity;

namespace Portal.Identity.BuiltIn;

/// <summary>A person of the built-in identity provider. Roles are Identity roles named after the portal's roles.</summary>
public sealed class PortalUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>Set when an admin disabled the account: no sign-in, no new tokens.</summary>
    public DateTimeOffset? DisabledAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The TOTP time step of the last accepted code: that step and every earlier one are spent (a code works once).</summary>
    public long? LastTotpStep { get; set; }
}
