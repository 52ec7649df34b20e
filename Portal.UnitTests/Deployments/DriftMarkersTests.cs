using Portal.Core.Requests;
using Portal.Infrastructure.Deployments;

namespace Portal.Tests.Deployments;

/// <summary>The dashboard marks every watched name of a request with a drifted stack, saying which environments drifted.</summary>
public sealed class DriftMarkersTests
{
    private static readonly Guid Drifted = Guid.NewGuid();
    private static readonly Guid Calm = Guid.NewGuid();

    [Fact]
    public void Names_of_a_drifted_request_are_marked_and_others_are_not()
    {
        var testing = Guid.NewGuid();
        var production = Guid.NewGuid();
        var calm = Guid.NewGuid();
        var unowned = Guid.NewGuid();
        DriftedStackRow[] rows =
        [
            new(Drifted, "docs.example.com", DeploymentEnvironment.Production, "portal-site-production-docs", null),
            new(Drifted, "docs.example.com", DeploymentEnvironment.Testing, "portal-site-testing-docs", null),
        ];

        var markers = DriftQueries.MarkersFor([(testing, Drifted), (production, Drifted), (calm, Calm), (unowned, null)], rows);

        Assert.Equal(["Drifted: production and testing stacks changed outside the portal", "Drifted: production and testing stacks changed outside the portal"],
            new[] { markers[testing], markers[production] });
        Assert.False(markers.ContainsKey(calm));
        Assert.False(markers.ContainsKey(unowned));
    }

    [Fact]
    public void One_drifted_environment_is_named_alone()
    {
        var target = Guid.NewGuid();

        var markers = DriftQueries.MarkersFor([(target, Drifted)], [new(Drifted, "docs.example.com", DeploymentEnvironment.Testing, "portal-site-testing-docs", null)]);

        Assert.Equal("Drifted: testing stack changed outside the portal", markers[target]);
    }
}
