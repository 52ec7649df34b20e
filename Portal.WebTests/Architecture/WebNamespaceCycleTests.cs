using System.Reflection;

namespace Portal.Tests.Architecture;

/// <summary>Within the web app, no two feature folders (namespaces) use each other, directly or through others.</summary>
public sealed class WebNamespaceCycleTests
{
    [Fact]
    public void No_namespace_of_the_web_app_depends_on_itself_through_others()
    {
        var assembly = typeof(Portal.Hosting.PortalServiceCollectionExtensions).Assembly;
        var graph = NamespaceGraph.Of(assembly, "Portal");

        var cycles = graph.Cycles();

        Assert.True(cycles.Count == 0, "Namespace cycles:\n" + graph.DescribeCycles(assembly));
    }
}
