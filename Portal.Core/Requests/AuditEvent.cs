using Portal.Core.Workflow;

namespace Portal.Core.Requests;

/// <summary>One entry of the append-only audit trail: who did what to which request, when, from which state to which, and why.</summary>
public sealed class AuditEvent
{
    private AuditEvent()
    {
    }

    public Guid Id { get; private set; }

    public Guid RequestId { get; private set; }

    /// <summary>Position in the request's history, 1-based: orders events that share a timestamp.</summary>
    public int Sequence { get; private set; }

    public int RevisionNumber { get; private set; }

    public string ActorId { get; private set; } = "";

    public string ActorName { get; private set; } = "";

    public DateTimeOffset At { get; private set; }

    public string Action { get; private set; } = "";

    public RequestState? FromState { get; private set; }

    public RequestState ToState { get; private set; }

    public string? Reason { get; private set; }

    internal static AuditEvent Create(Guid requestId, int sequence, int revision, Actor actor, DateTimeOffset at, string action, RequestState? from, RequestState to, string? reason) => new()
    {
        Id = Guid.CreateVersion7(at),
        RequestId = requestId,
        Sequence = sequence,
        RevisionNumber = revision,
        ActorId = actor.Id,
        ActorName = actor.DisplayName,
        At = at,
        Action = action,
        FromState = from,
        ToState = to,
        Reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(),
    };
}
