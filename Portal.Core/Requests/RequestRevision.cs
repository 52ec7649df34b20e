using Portal.Core.Workflow;

namespace Portal.Core.Requests;

/// <summary>One version of what was asked for. Deployed revisions never change; only a draft is edited in place.</summary>
public sealed class RequestRevision
{
    private RequestSpec? _spec;

    private RequestRevision()
    {
    }

    public Guid RequestId { get; private set; }

    public int Number { get; private set; }

    /// <summary>The spec as stored: the same JSON the CLI and the API read.</summary>
    public string SpecJson { get; private set; } = "";

    public string CreatedById { get; private set; } = "";

    public string CreatedByName { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Whoever last changed this revision's content: they may not approve it.</summary>
    public string LastEditorId { get; private set; } = "";

    public DateTimeOffset LastEditedAt { get; private set; }

    public RequestSpec Spec => _spec ??= RequestSpecJson.Parse(SpecJson).Spec
        ?? throw new InvalidOperationException($"Stored revision {Number} of request {RequestId} holds an unreadable spec.");

    internal static RequestRevision Create(Guid requestId, int number, RequestSpec spec, Actor actor, DateTimeOffset now) => new()
    {
        RequestId = requestId,
        Number = number,
        SpecJson = RequestSpecJson.Serialize(spec),
        _spec = spec,
        CreatedById = actor.Id,
        CreatedByName = actor.DisplayName,
        CreatedAt = now,
        LastEditorId = actor.Id,
        LastEditedAt = now,
    };

    internal void Edit(RequestSpec spec, Actor actor, DateTimeOffset now)
    {
        SpecJson = RequestSpecJson.Serialize(spec);
        _spec = spec;
        LastEditorId = actor.Id;
        LastEditedAt = now;
    }
}
