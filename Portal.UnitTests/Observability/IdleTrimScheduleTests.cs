using Portal.Core.Observability;

namespace Portal.Tests.Observability;

/// <summary>An idle portal gives memory back once, after the last session ended and a quiet spell passed.</summary>
public sealed class IdleTrimScheduleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_portal_nobody_has_used_since_start_is_left_alone()
    {
        var schedule = new IdleTrimSchedule(Quiet);

        Assert.False(schedule.TakeDue(T0.AddHours(1)));
    }

    [Fact]
    public void The_last_session_ending_makes_it_due_after_the_quiet_spell_once()
    {
        var schedule = new IdleTrimSchedule(Quiet);
        schedule.Opened();
        schedule.Opened();
        schedule.Closed(T0);
        schedule.Closed(T0.AddSeconds(10));

        Assert.False(schedule.TakeDue(T0.AddSeconds(39)));
        Assert.True(schedule.TakeDue(T0.AddSeconds(40)));
        Assert.False(schedule.TakeDue(T0.AddMinutes(5)));
    }

    [Fact]
    public void An_open_session_keeps_it_from_being_due()
    {
        var schedule = new IdleTrimSchedule(Quiet);
        schedule.Opened();
        schedule.Opened();
        schedule.Closed(T0);

        Assert.Equal(1, schedule.Open);
        Assert.False(schedule.TakeDue(T0.AddHours(1)));
    }

    [Fact]
    public void A_session_opened_in_the_quiet_spell_starts_it_over()
    {
        var schedule = new IdleTrimSchedule(Quiet);
        schedule.Opened();
        schedule.Closed(T0);
        schedule.Opened();
        schedule.Closed(T0.AddSeconds(20));

        Assert.False(schedule.TakeDue(T0.AddSeconds(40)));
        Assert.True(schedule.TakeDue(T0.AddSeconds(50)));
    }

    [Fact]
    public void A_close_without_an_open_does_not_count_below_zero()
    {
        var schedule = new IdleTrimSchedule(Quiet);
        schedule.Closed(T0);
        schedule.Opened();

        Assert.Equal(1, schedule.Open);
        Assert.False(schedule.TakeDue(T0.AddHours(1)));
    }

    [Fact]
    public void After_the_trim_the_portal_counts_as_idle_until_a_session_opens()
    {
        var schedule = new IdleTrimSchedule(Quiet);
        schedule.Opened();
        schedule.Closed(T0);
        Assert.False(schedule.IdleSinceTrim);

        Assert.True(schedule.TakeDue(T0.AddSeconds(30)));
        Assert.True(schedule.IdleSinceTrim);

        schedule.Opened();
        Assert.False(schedule.IdleSinceTrim);
        schedule.Closed(T0.AddMinutes(2));
        Assert.False(schedule.IdleSinceTrim);
        Assert.True(schedule.TakeDue(T0.AddMinutes(3)));
        Assert.True(schedule.IdleSinceTrim);
    }

    [Fact]
    public void A_portal_never_trimmed_is_not_idle_since_a_trim()
    {
        var schedule = new IdleTrimSchedule(Quiet);

        Assert.False(schedule.IdleSinceTrim);
    }
}
