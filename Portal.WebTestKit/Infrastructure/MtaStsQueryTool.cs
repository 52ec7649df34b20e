namespace Portal.Tests.Infrastructure;

/// <summary>Runs Debian's <c>mta-sts-query</c> (postfix-mta-sts-resolver) inside a private network.</summary>
public static class MtaStsQueryTool
{
    /// <summary>
    /// Queries <paramref name="domain"/> like an MTA would: <c>_mta-sts</c> TXT from the fixture DNS, the policy from
    /// <c>https://mta-sts.DOMAIN/.well-known/mta-sts.txt</c> trusting only the test CA. The tool's debug log (its reason for a
    /// FETCH_ERROR, for instance) is in <see cref="MtaStsQueryResult.Log"/>.
    /// </summary>
    public static async Task<MtaStsQueryResult> QueryMtaStsAsync(this PrivateNetwork network, string domain, string? knownPolicyId = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        string[] arguments = knownPolicyId is null ? ["-v", "debug", domain] : ["-v", "debug", domain, knownPolicyId];
        var run = await network.RunAsync("mta-sts-query", arguments, timeout: TimeSpan.FromSeconds(60));
        try
        {
            return MtaStsQueryResult.Parse(run.EnsureSuccess().StandardOutput) with { Log = run.StandardError };
        }
        catch (FormatException error)
        {
            throw new FormatException($"{error.Message}\nmta-sts-query log:\n{run.StandardError}", error);
        }
    }
}
