namespace Portal.Core.Requests;

/// <summary>A host the portal serves for a request, with what it is for (shown on the request page, checked by health).</summary>
public sealed record ServedName(string Purpose, string Host, DeploymentEnvironment? Environment);

/// <summary>
/// The names the portal derives from what a person typed: a site's testing environment is served at
/// <c>test.&lt;host&gt;</c> and production at the host itself; a mail domain's policy is served at
/// <c>mta-sts.&lt;domain&gt;</c> (RFC 8461 section 3.3). Every part of the portal asks here.
/// </summary>
public static class ServedNames
{
    public const string TestingPrefix = "test.";
    public const string MtaStsPolicyPrefix = "mta-sts.";

    /// <summary>The host an environment of a site (or a redirect name) serves.</summary>
    public static string Site(string host, DeploymentEnvironment environment) =>
        environment == DeploymentEnvironment.Production ? host : TestingPrefix + host;

    /// <summary>The testing environment's host of a site.</summary>
    public static string Testing(string host) => TestingPrefix + host;

    /// <summary>The host that serves a mail domain's MTA-STS policy.</summary>
    public static string MtaStsPolicyHost(string domain) => MtaStsPolicyPrefix + domain;

    /// <summary>Every host a request's current spec is served at.</summary>
    public static IReadOnlyList<ServedName> Of(RequestSpec spec) => spec switch
    {
        SiteSpec site =>
        [
            new("Testing", Site(site.Host, DeploymentEnvironment.Testing), DeploymentEnvironment.Testing),
            new("Production", Site(site.Host, DeploymentEnvironment.Production), DeploymentEnvironment.Production),
        ],
        MtaStsSpec mta => [new("Policy host", MtaStsPolicyHost(mta.Domain), null)],
        _ => [],
    };
}
