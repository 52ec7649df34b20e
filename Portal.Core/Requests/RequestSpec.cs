using System.Text.Json.Serialization;

namespace Portal.Core.Requests;

/// <summary>
/// What a person asks the portal to provision. The JSON shape (camelCase, <c>kind</c> discriminator) is the
/// one the CLI render file, the REST API and the database all use, so a request can move between them unchanged.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(SiteSpec), "site")]
[JsonDerivedType(typeof(MtaStsSpec), "mta-sts")]
public abstract record RequestSpec
{
    [JsonIgnore]
    public abstract RequestKind Kind { get; }

    /// <summary>The name this request owns: a site's canonical host or a mail domain. Two live requests never share it.</summary>
    [JsonIgnore]
    public abstract string PrimaryName { get; }

    /// <summary>
    /// The registered AWS account the stacks go to (<c>Portal.Core.Accounts.TargetAccount.Name</c>); null is the portal's
    /// own (default) account, as for every request made before accounts could be registered.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Account { get; init; }
}

public enum RequestKind
{
    Site,
    MtaSts,
}

public enum DeploymentEnvironment
{
    Testing,
    Production,
}

public enum ViewerProtocol
{
    RedirectToHttps,
    HttpsOnly,
}

public enum MtaStsMode
{
    Testing,
    Enforce,
    None,
}
