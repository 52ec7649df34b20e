using Portal.Core.Workflow;
using Portal.Core.Requests;

namespace Portal.Infrastructure.Requests;

public enum RequestSortField
{
    UpdatedAt,
    CreatedAt,
    Name,
    State,
    Owner,
}

/// <summary>A page of the request table: filters, sort and paging, as the UI and the API ask for them.</summary>
public sealed record RequestListQuery
{
    public const int MaxPageSize = 200;

    public string? Search { get; init; }

    public RequestKind? Kind { get; init; }

    public IReadOnlyList<RequestState> States { get; init; } = [];

    /// <summary>Only requests owned by this person ("My requests").</summary>
    public string? OwnerId { get; init; }

    /// <summary>With <see cref="OwnerId"/>: also the requests of these teams (the person's teams), marked by their team.</summary>
    public IReadOnlyCollection<string> TeamIds { get; init; } = [];

    /// <summary>Only requests of these teams (a per-team approver's approvals); null for no such limit.</summary>
    public IReadOnlyCollection<string>? OnlyTeams { get; init; }

    public RequestSortField SortBy { get; init; } = RequestSortField.UpdatedAt;

    public bool Descending { get; init; } = true;

    /// <summary>0-based page number.</summary>
    public int Page { get; init; }

    public int PageSize { get; init; } = 25;
}

public sealed record RequestPage(IReadOnlyList<RequestSummary> Items, int TotalCount, int Page, int PageSize);
