using Portal.Core.MtaSts;
using Portal.Core.Requests;

namespace Portal.Core.Templates;

/// <summary>A TXT record as its name and its text (one string, before DNS quoting).</summary>
public sealed record TxtRecord(string Name, string Value);

/// <summary>
/// What an MTA-STS stack publishes for one environment, built from the RFC 8461/8460 models: the exact policy body
/// the function serves, its content-derived id, and the TXT records that announce them. The stack writes the records
/// when the domain is in Route53; otherwise the portal shows them to be published by hand.
/// </summary>
public sealed record MtaStsPublication(
    string Domain,
    MtaStsPolicy Policy,
    string PolicyText,
    string PolicyId,
    TxtRecord PolicyIdRecord,
    TxtRecord? TlsRptRecord,
    bool RecordsInRoute53)
{
    /// <summary>The host that serves the policy.</summary>
    public string PolicyHost => ServedNames.MtaStsPolicyHost(Domain);

    /// <summary>Where senders fetch the policy.</summary>
    public string PolicyUrl => $"https://{PolicyHost}/.well-known/mta-sts.txt";

    /// <summary>
    /// The mode an environment serves. Testing serves <c>testing</c>, as RFC 8461 section 5 advises before
    /// enforcing; a request to withdraw the policy (<c>none</c>) serves <c>none</c> in both, since a withdrawal has
    /// nothing to try out and a <c>testing</c> policy would need mx patterns the request no longer has.
    /// </summary>
    public static MtaStsMode ServedMode(MtaStsSpec spec, DeploymentEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Mode == MtaStsMode.None || environment == DeploymentEnvironment.Production ? spec.Mode : MtaStsMode.Testing;
    }

    /// <summary>
    /// The policy an environment serves (in its <see cref="ServedMode"/>, with the request's max_age and mx
    /// patterns), or the findings that prevent it. The request form previews it before anything is deployed.
    /// </summary>
    public static RfcResult<MtaStsPolicy> ServedPolicy(MtaStsSpec spec, DeploymentEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return MtaStsPolicy.Create(ServedMode(spec, environment), spec.MaxAge, spec.Mx);
    }

    public static string ModeText(MtaStsMode mode) => mode switch
    {
        MtaStsMode.Testing => "testing",
        MtaStsMode.Enforce => "enforce",
        _ => "none",
    };

    /// <summary>The publication, or the problems (each naming its request field) that prevent it.</summary>
    public static (MtaStsPublication? Publication, IReadOnlyList<FieldError> Errors) Create(MtaStsSpec spec, DeploymentEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new List<FieldError>();
        var policy = ServedPolicy(spec, environment);
        errors.AddRange(policy.Errors.Select(e => new FieldError(PolicyField(e.Id), e.Message)));

        TxtRecord? tlsRpt = null;
        if (spec.TlsRptRua.Count > 0)
        {
            var record = MtaSts.TlsRptRecord.Create(spec.TlsRptRua);
            errors.AddRange(record.Errors.Select(e => new FieldError("tlsRptRua", e.Message)));
            if (record.Value is not null)
            {
                tlsRpt = new TxtRecord("_smtp._tls." + spec.Domain, record.Value.Serialize());
            }
        }

        if (policy.Value is null || errors.Count > 0)
        {
            return (null, errors);
        }

        var txt = MtaStsTxtRecord.For(policy.Value);
        return (new MtaStsPublication(
            spec.Domain,
            policy.Value,
            policy.Value.Serialize(),
            txt.Id,
            new TxtRecord("_mta-sts." + spec.Domain, txt.Serialize()),
            tlsRpt,
            spec.DnsInRoute53), []);
    }

    private static string PolicyField(string findingId) =>
        findingId.StartsWith("max-age", StringComparison.Ordinal) ? "maxAge"
        : findingId.StartsWith("mode", StringComparison.Ordinal) ? "mode"
        : "mx";
}
