using Portal.Core.Health;

namespace Portal.Tests.Health;

/// <summary>The trend over history: each name once a day with its last result that day.</summary>
public sealed class HealthTrendTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Each_name_counts_once_a_day_with_its_last_result()
    {
        var site = Guid.NewGuid();
        var mail = Guid.NewGuid();
        HealthResultPoint[] results =
        [
            new(site, Now.AddHours(-3), FindingSeverity.Error, 40),
            new(site, Now.AddHours(-1), FindingSeverity.Pass, 100),
            new(mail, Now.AddHours(-2), FindingSeverity.Warning),
            new(site, Now.AddDays(-1), FindingSeverity.Warning, 80),
        ];

        var trend = HealthTrend.Daily(results, Now, 3);

        Assert.Equal(
        [
            new HealthTrendDay(new DateOnly(2026, 12, 2), 0, 0, 0, null),
            new HealthTrendDay(new DateOnly(2026, 12, 3), 0, 1, 0, 80),
            new HealthTrendDay(new DateOnly(2026, 12, 4), 1, 1, 0, 100),
        ], trend);
    }

    [Fact]
    public void Results_before_the_window_are_left_out() =>
        Assert.All(HealthTrend.Daily([new(Guid.NewGuid(), Now.AddDays(-5), FindingSeverity.Error)], Now, 2), d => Assert.Equal(0, d.Failing));
}
