using System.Security.Cryptography;
using System.Text;
using Portal.Core.Requests;

namespace Portal.Core.Templates;

/// <summary>
/// Stack names. The rule:
/// <list type="bullet">
/// <item><c>{prefix}-shared</c> for the shared stack;</item>
/// <item><c>{prefix}-site-{environment}-{host}</c> for a site, e.g. <c>portal-site-testing-docs-example-com</c>;</item>
/// <item><c>{prefix}-redirect-{environment}-{redirect name}</c> for each redirect name of a site;</item>
/// <item><c>{prefix}-mta-sts-{domain}</c> for a mail domain (one stack: testing and production differ only in mode);</item>
/// <item><c>{prefix}-headers-{hash}</c> for a header set shared by distributions.</item>
/// </list>
/// A host is written with each <c>-</c> doubled and each <c>.</c> as <c>-</c>: since a DNS label never starts or
/// ends with a hyphen, two different hosts never give the same name (<c>a-b.com</c> is <c>a--b-com</c>,
/// <c>a.b-com</c> is <c>a-b--com</c>). A name longer than CloudFormation's 128 characters keeps its first 111
/// and ends with <c>-</c> and 16 hex digits of the SHA-256 of the whole name, so long names stay unique and
/// stable. Every name matches <c>[a-zA-Z][-a-zA-Z0-9]*</c>.
/// </summary>
public static class StackNaming
{
    public const int MaxLength = 128;
    public const int MaxPrefixLength = 32;
    public const int HashLength = 16;

    public static string Shared(string prefix) => prefix + "-shared";

    /// <summary>The account's bootstrap stack (<c>templates/bootstrap.yaml</c>), deployed once by an administrator.</summary>
    public static string Bootstrap(string prefix) => prefix + "-bootstrap";

    /// <summary>
    /// Name of the managed policy <c>bootstrap.yaml</c> makes as the permissions boundary of every role a stack creates;
    /// the site template turns it into an ARN in its own account.
    /// </summary>
    public static string SiteRoleBoundary(string prefix) => prefix + "-site-role-boundary";

    public static string Site(string prefix, DeploymentEnvironment environment, string host) =>
        Fit($"{prefix}-site-{EnvironmentName(environment)}-{Slug(host)}");

    public static string Redirect(string prefix, DeploymentEnvironment environment, string redirectFrom) =>
        Fit($"{prefix}-redirect-{EnvironmentName(environment)}-{Slug(redirectFrom)}");

    public static string MtaSts(string prefix, string domain) => Fit($"{prefix}-mta-sts-{Slug(domain)}");

    /// <summary><c>{prefix}-headers-{16 hex digits}</c>: the digits name one header set and shard (<see cref="HeaderSet.Key"/>).</summary>
    public static string Headers(string prefix, string key) => Fit($"{prefix}-headers-{key}");

    /// <summary><c>testing</c> or <c>production</c>: the word used in stack names, content prefixes and log prefixes.</summary>
    public static string EnvironmentName(DeploymentEnvironment environment) => environment switch
    {
        DeploymentEnvironment.Testing => "testing",
        DeploymentEnvironment.Production => "production",
        _ => throw new ArgumentOutOfRangeException(nameof(environment), environment, null),
    };

    /// <summary>A host name written with stack-name characters only, one to one.</summary>
    public static string Slug(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.Replace("-", "--", StringComparison.Ordinal).Replace('.', '-');
    }

    private static string Fit(string name)
    {
        if (name.Length <= MaxLength)
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..HashLength];
        return name[..(MaxLength - HashLength - 1)] + "-" + hash;
    }
}
