namespace Portal.Core.Health;

/// <summary>One stored result, as much of it as the trend needs.</summary>
public sealed record HealthResultPoint(Guid TargetId, DateTimeOffset CheckedAt, FindingSeverity Worst, int? Score = null);

/// <summary>One day of the trend: how many names ended the day healthy, with warnings or failing, and the sites' mean score.</summary>
public sealed record HealthTrendDay(DateOnly Day, int Healthy, int Warnings, int Failing, double? MeanScore);

/// <summary>
/// The dashboard's trend over history: for each UTC day, every name counts once, with the last result it had that
/// day, so a name checked hourly weighs as much as one checked daily.
/// </summary>
public static class HealthTrend
{
    /// <summary>The last <paramref name="days"/> days up to and including today (UTC), oldest first; days without results count zero.</summary>
    public static IReadOnlyList<HealthTrendDay> Daily(IEnumerable<HealthResultPoint> results, DateTimeOffset now, int days)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var first = today.AddDays(1 - days);
        var lastPerDay = results
            .Select(r => (Day: DateOnly.FromDateTime(r.CheckedAt.UtcDateTime), Result: r))
            .Where(x => x.Day >= first && x.Day <= today)
            .GroupBy(x => (x.Day, x.Result.TargetId))
            .Select(g => g.MaxBy(x => x.Result.CheckedAt))
            .ToLookup(x => x.Day, x => x.Result);
        var trend = new List<HealthTrendDay>(days);
        for (var day = first; day <= today; day = day.AddDays(1))
        {
            var ofDay = lastPerDay[day].ToList();
            var scores = ofDay.Where(r => r.Score is not null).Select(r => (double)r.Score!.Value).ToList();
            trend.Add(new HealthTrendDay(
                day,
                ofDay.Count(r => HealthStatuses.Of(r.Worst) == HealthStatus.Healthy),
                ofDay.Count(r => r.Worst == FindingSeverity.Warning),
                ofDay.Count(r => r.Worst == FindingSeverity.Error),
                scores.Count == 0 ? null : Math.Round(scores.Average(), 1)));
        }

        return trend;
    }
}
