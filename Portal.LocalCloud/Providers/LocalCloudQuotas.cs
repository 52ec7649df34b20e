namespace Portal.LocalCloud.Providers;

/// <summary>
/// The account quotas the local cloud enforces, with AWS's default values (CloudFront's quotas page, RULES.md); a test
/// that needs more raises one with <c>with</c>, as an account owner would ask AWS for an increase.
/// </summary>
public sealed record LocalCloudQuotas
{
    public int ResponseHeadersPolicies { get; init; } = 20;

    public int CachePolicies { get; init; } = 20;

    public int Functions { get; init; } = 100;

    public int OriginAccessControls { get; init; } = 100;

    /// <summary>500 since AWS raised the default from 200.</summary>
    public int Distributions { get; init; } = 500;

    public int DistributionsPerFunction { get; init; } = 100;

    public int AliasesPerDistribution { get; init; } = 100;

    public int DistributionsPerCachePolicy { get; init; } = 100;

    public int DistributionsPerResponseHeadersPolicy { get; init; } = 100;

    public int DistributionsPerOriginAccessControl { get; init; } = 100;

    /// <summary>CloudFront Functions: maximum size of a function's code, 10 KB.</summary>
    public int FunctionCodeBytes { get; init; } = 10 * 1024;

    /// <summary>
    /// How long ACM takes to validate a domain whose DNS the local cloud does not serve: no zone here holds the
    /// validation record, so nothing can be checked, and the certificate is issued after this delay as if the owner had
    /// added the record at their DNS provider. Domains in a local zone are validated by the record alone.
    /// </summary>
    public TimeSpan ExternalValidationDelay { get; init; } = TimeSpan.FromSeconds(30);
}
