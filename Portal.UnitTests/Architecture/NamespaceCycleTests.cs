using System.Reflection;

namespace Portal.Tests.Architecture;

/// <summary>Within each of the portal's assemblies, no two namespaces use each other, directly or through others.</summary>
public sealed class NamespaceCycleTests
{
    public static TheoryData<string> Assemblies => new() { "Portal.Core", "Portal.Infrastructure" };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void No_namespace_of_the_assembly_depends_on_itself_through_others(string name)
    {
        var assembly = Assembly.Load(name);
        var graph = NamespaceGraph.Of(assembly, name);

        var cycles = graph.Cycles();

        Assert.True(cycles.Count == 0, "Namespace cycles:\n" + graph.DescribeCycles(assembly));
    }
}
