using Portal.Core.Notifications;

namespace Portal.Tests.Notifications;

/// <summary>Retries wait twice as long each time, up to a ceiling, and stop after the last attempt.</summary>
public sealed class RetryScheduleTests
{
    [Fact]
    public void The_delay_doubles_up_to_the_ceiling_and_ends_after_the_last_attempt()
    {
        var schedule = new RetrySchedule(MaxAttempts: 6, FirstDelay: TimeSpan.FromSeconds(30), MaxDelay: TimeSpan.FromMinutes(3));

        var delays = Enumerable.Range(1, 6).Select(schedule.DelayAfter).ToList();

        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120), TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(3), null], delays);
    }
}
