namespace Portal.Core.Notifications;

/// <summary>
/// When a failed send is tried again: the delay doubles after each attempt (first, 2x, 4x, ...) up to a ceiling, and
/// after <see cref="MaxAttempts"/> attempts the delivery is given up and shown to admins as failed.
/// </summary>
public sealed record RetrySchedule(int MaxAttempts, TimeSpan FirstDelay, TimeSpan MaxDelay)
{
    /// <summary>The delay before the next attempt after <paramref name="attemptsMade"/> attempts, or null when none is left.</summary>
    public TimeSpan? DelayAfter(int attemptsMade)
    {
        if (attemptsMade >= MaxAttempts)
        {
            return null;
        }

        var factor = Math.Pow(2, Math.Max(0, attemptsMade - 1));
        var ticks = Math.Min(FirstDelay.Ticks * factor, MaxDelay.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}
