using Portal.Core.Headers;

namespace Portal.Tests.Headers;

/// <summary>Letters follow the Observatory's grading chart, boundary by boundary.</summary>
public class ObservatoryGradeChartTests
{
    [Theory]
    [InlineData(145, "A+")]
    [InlineData(100, "A+")]
    [InlineData(99, "A")]
    [InlineData(90, "A")]
    [InlineData(89, "A-")]
    [InlineData(85, "A-")]
    [InlineData(84, "B+")]
    [InlineData(80, "B+")]
    [InlineData(79, "B")]
    [InlineData(70, "B")]
    [InlineData(69, "B-")]
    [InlineData(65, "B-")]
    [InlineData(64, "C+")]
    [InlineData(60, "C+")]
    [InlineData(59, "C")]
    [InlineData(50, "C")]
    [InlineData(49, "C-")]
    [InlineData(45, "C-")]
    [InlineData(44, "D+")]
    [InlineData(40, "D+")]
    [InlineData(39, "D")]
    [InlineData(30, "D")]
    [InlineData(29, "D-")]
    [InlineData(25, "D-")]
    [InlineData(24, "F")]
    [InlineData(0, "F")]
    [InlineData(-10, "F")]
    public void Scores_map_to_the_chart(int score, string grade)
    {
        Assert.Equal(grade, ObservatoryGrader.GradeFor(score));
    }
}
