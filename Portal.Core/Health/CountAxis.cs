namespace Portal.Core.Health;

/// <summary>
/// The vertical axis of a chart of counts (sites, domains): whole-number steps sized to the largest value, so three
/// sites do not sit at the bottom of an axis that climbs in steps of 20 to 100.
/// </summary>
public static class CountAxis
{
    /// <summary>At most this many steps between zero and the top of the axis.</summary>
    public const int MaxSteps = 5;

    /// <summary>The step between ticks: 1, 2, 5, 10, 20, 50, ... the smallest that reaches <paramref name="largest"/> in <see cref="MaxSteps"/> steps.</summary>
    public static int Step(double largest)
    {
        if (double.IsNaN(largest) || largest <= MaxSteps)
        {
            return 1;
        }

        for (var magnitude = 1L; ; magnitude *= 10)
        {
            foreach (var factor in (ReadOnlySpan<long>)[1, 2, 5])
            {
                var step = factor * magnitude;
                if (step * MaxSteps >= largest || step >= int.MaxValue / 10)
                {
                    return (int)Math.Min(step, int.MaxValue);
                }
            }
        }
    }

    /// <summary>The top of the axis: the first multiple of the step at or above the largest value (at least one step).</summary>
    public static int Top(double largest)
    {
        var step = Step(largest);
        var steps = Math.Max(1, (int)Math.Ceiling(Math.Max(0, double.IsNaN(largest) ? 0 : largest) / step));
        return steps * step;
    }
}
