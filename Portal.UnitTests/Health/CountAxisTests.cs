using Portal.Core.Health;

namespace Portal.Tests.Health;

/// <summary>The axis of a chart of counts: whole steps sized to the data.</summary>

public sealed class CountAxisTests
{
    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 1, 1)]
    [InlineData(3, 1, 3)]
    [InlineData(5, 1, 5)]
    [InlineData(6, 2, 6)]
    [InlineData(7, 2, 8)]
    [InlineData(10, 2, 10)]
    [InlineData(11, 5, 15)]
    [InlineData(25, 5, 25)]
    [InlineData(26, 10, 30)]
    [InlineData(99, 20, 100)]
    [InlineData(101, 50, 150)]
    [InlineData(4_999, 1_000, 5_000)]
    public void Whole_steps_reach_the_largest_count_in_at_most_five_ticks(double largest, int step, int top)
    {
        Assert.Equal(step, CountAxis.Step(largest));
        Assert.Equal(top, CountAxis.Top(largest));
        Assert.True(top / step <= CountAxis.MaxSteps);
        Assert.True(top >= largest);
    }
}
