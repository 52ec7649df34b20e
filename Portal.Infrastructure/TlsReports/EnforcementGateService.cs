using Microsoft.Extensions.Options;
using Portal.Core.Requests;
using Portal.Core.TlsReports;

namespace Portal.Infrastructure.TlsReports;

/// <summary>
/// Gathers the evidence for switching a mail domain's MTA-STS policy to <c>enforce</c> and judges it with
/// <see cref="EnforcementGate"/>. <paramref name="sandbox"/>: the portal runs its sandbox, where the gate only warns.
/// </summary>
public sealed class EnforcementGateService(TlsReportQueries reports, IMxTransportResults mx, IOptions<TlsReportOptions> options, TimeProvider clock, bool sandbox)
{
    public EnforcementGateSettings Settings => new(options.Value.GateMinimumReportDays, options.Value.GateMaximumFailurePercent, options.Value.GateBlocks, sandbox);

    /// <summary>The verdict for an MTA-STS request; null for a site, which has no enforce step.</summary>
    public async Task<GateVerdict?> JudgeAsync(PortalRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Kind != RequestKind.MtaSts)
        {
            return null;
        }

        var since = clock.GetUtcNow().AddDays(-options.Value.GateLookbackDays);
        var evidence = new EnforcementEvidence(
            await reports.SummaryAsync(request.PrimaryName, since, ct),
            await mx.ForDomainAsync(request.PrimaryName, ct));
        return EnforcementGate.Judge(evidence, Settings);
    }
}
