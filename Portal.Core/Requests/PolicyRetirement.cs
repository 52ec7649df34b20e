using Portal.Core.Workflow;

namespace Portal.Core.Requests;

/// <summary>
/// Retiring an MTA-STS policy as RFC 8461 section 8.3 ("Removing MTA-STS") asks: (1) publish a new policy with
/// <c>mode: none</c> and a small <c>max_age</c>, (2) publish a new TXT record (a new id) so senders fetch it, and
/// (3) only once every previously served policy has expired, which is when it was last served plus its
/// <c>max_age</c> (an older policy may have had a longer one), remove the TXT record and the HTTPS policy host.
/// Step 3 is timed from the request's own audit trail, so nothing extra has to be stored and a restarted portal
/// computes the same moment.
/// </summary>
public static class PolicyRetirement
{
    /// <summary>The <c>max_age</c> of the <c>mode: none</c> policy: one day, the example RFC 8461 section 8.3 gives.</summary>
    public const long NoneMaxAge = 86_400;

    /// <summary>The revision that withdraws the policy: <c>mode: none</c>, a small max_age, no mx patterns (not needed for none); TLS-RPT kept until removal.</summary>
    public static MtaStsSpec RetirementSpec(MtaStsSpec live)
    {
        ArgumentNullException.ThrowIfNull(live);
        return live with { Mode = MtaStsMode.None, MaxAge = Math.Min(NoneMaxAge, live.MaxAge), Mx = [] };
    }

    /// <summary>
    /// When the stacks and records may go: the latest moment a sender may still hold a policy served before
    /// <c>mode: none</c> was published. Null until the <c>mode: none</c> policy is served.
    /// </summary>
    /// <remarks>
    /// A policy of a revision counts as served from the start of its deployment (CloudFormation may serve the new
    /// function before the stack completes) until the next deployment of another revision completed, and may be
    /// cached for its <c>max_age</c> after that. A policy in <c>mode: none</c> asks nothing of senders, so its cache
    /// does not hold the removal back. Counting a failed deployment's policy as served until the next completed one
    /// errs on the side of waiting longer.
    /// </remarks>
    public static DateTimeOffset? Until(IReadOnlyList<AuditEvent> events, Func<int, RequestSpec?> specOf)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(specOf);
        var ordered = events.OrderBy(e => e.Sequence).ToList();
        var published = ordered.FindLastIndex(e => e.ToState == RequestState.Retiring && e.FromState == RequestState.RetirementDeploying);
        if (published < 0)
        {
            return null;
        }

        var noneServedAt = ordered[published].At;
        var until = noneServedAt;
        for (var i = 0; i < published; i++)
        {
            var start = ordered[i];
            if (!StartsDeployment(start) || specOf(start.RevisionNumber) is not MtaStsSpec spec || spec.Mode == MtaStsMode.None)
            {
                continue;
            }

            var replaced = noneServedAt;
            for (var j = i + 1; j <= published; j++)
            {
                if (CompletesDeployment(ordered[j]) && ordered[j].RevisionNumber != start.RevisionNumber)
                {
                    replaced = ordered[j].At;
                    break;
                }
            }

            var expires = replaced + TimeSpan.FromSeconds(spec.MaxAge);
            if (expires > until)
            {
                until = expires;
            }
        }

        return until;
    }

    private static bool StartsDeployment(AuditEvent e) =>
        e.ToState is RequestState.TestingDeploying or RequestState.ProductionDeploying or RequestState.RetirementDeploying;

    private static bool CompletesDeployment(AuditEvent e) =>
        (e.FromState, e.ToState) is (RequestState.TestingDeploying, RequestState.TestingReady)
            or (RequestState.ProductionDeploying, RequestState.Live)
            or (RequestState.RetirementDeploying, RequestState.Retiring);
}
