using Portal.Core.Health;

namespace Portal.Tests.Health;

/// <summary>The dashboard's filters read from and written to its address.</summary>
public sealed class HealthFilterTests
{
    private static HealthRow Row(string name, HealthCheckKind kind, FindingSeverity? worst) =>
        new(Guid.NewGuid(), name, kind, worst is null ? null : DateTimeOffset.UnixEpoch, worst, null, null, null);

    [Fact]
    public void Known_values_are_read_whatever_their_case()
    {
        var parsed = HealthFilter.Parse("Failing", "SITE", "  docs ");

        Assert.Equal(new HealthFilter(HealthStatus.Failing, HealthCheckKind.Site, "docs"), parsed.Filter);
        Assert.Null(parsed.Problem);
    }

    [Fact]
    public void Unknown_values_are_ignored_and_named()
    {
        var parsed = HealthFilter.Parse("broken", "dns", null);

        Assert.Equal(HealthFilter.None, parsed.Filter);
        Assert.Equal("Ignored in the address: status 'broken' is not one of healthy, warnings, failing, not-checked; kind 'dns' is not one of site, mail.", parsed.Problem);
    }

    [Fact]
    public void Writing_and_reading_gives_the_same_filter()
    {
        foreach (var status in Enum.GetValues<HealthStatus>())
        {
            foreach (var kind in Enum.GetValues<HealthCheckKind>())
            {
                var filter = new HealthFilter(status, kind, "a b");
                var query = filter.ToQuery();

                Assert.Equal(filter, HealthFilter.Parse((string?)query["status"], (string?)query["kind"], (string?)query["q"]).Filter);
            }
        }
    }

    [Fact]
    public void Filters_not_set_leave_the_address()
    {
        Assert.All(HealthFilter.None.ToQuery().Values, Assert.Null);
        Assert.Null(new HealthFilter(Text: "  ").ToQuery()["q"]);
    }

    [Fact]
    public void Rows_match_every_filter_set()
    {
        HealthRow[] rows =
        [
            Row("docs.example.com", HealthCheckKind.Site, FindingSeverity.Error),
            Row("docs.example.org", HealthCheckKind.Mail, FindingSeverity.Error),
            Row("shop.example.com", HealthCheckKind.Site, FindingSeverity.Error),
            Row("docs-new.example.com", HealthCheckKind.Site, null),
        ];

        Assert.Equal(["docs.example.com"], new HealthFilter(HealthStatus.Failing, HealthCheckKind.Site, "DOCS").Apply(rows).Select(r => r.Name));
        Assert.Equal(["docs-new.example.com"], new HealthFilter(HealthStatus.NotChecked).Apply(rows).Select(r => r.Name));
        Assert.Equal(4, HealthFilter.None.Apply(rows).Count());
    }

    [Fact]
    public void A_search_longer_than_a_name_is_shortened_and_said_so()
    {
        var parsed = HealthFilter.Parse(null, null, new string('a', 300));

        Assert.Equal(HealthFilter.MaxTextLength, parsed.Filter.Text!.Length);
        Assert.Contains("shortened", parsed.Problem, StringComparison.Ordinal);
    }
}
