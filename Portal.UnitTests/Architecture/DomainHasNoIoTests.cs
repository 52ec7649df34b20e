using System.Reflection;

namespace Portal.Tests.Architecture;

/// <summary>
/// Portal.Core is the domain: it reads no database, network, file or clock of its own. The project file makes a
/// reference to another project or an I/O package a build error; these tests check what the compiled code uses.
/// </summary>
public sealed class DomainHasNoIoTests
{
    private static readonly Assembly Domain = Assembly.Load("Portal.Core");

    [Fact]
    public void The_domain_references_no_adapter_or_web_assembly()
    {
        var referenced = Domain.GetReferencedAssemblies().Select(name => name.Name!).ToList();

        var forbidden = referenced.Where(name =>
            name.StartsWith("Portal.", StringComparison.Ordinal) || name == "Portal"
            || name.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            || name.StartsWith("AWSSDK", StringComparison.Ordinal)
            || name.StartsWith("DnsClient", StringComparison.Ordinal)
            || name.StartsWith("MudBlazor", StringComparison.Ordinal)).ToList();

        Assert.True(forbidden.Count == 0, "Portal.Core references " + string.Join(", ", forbidden));
    }

    [Theory]
    [InlineData(typeof(File))]
    [InlineData(typeof(FileStream))]
    [InlineData(typeof(Directory))]
    [InlineData(typeof(System.Net.Http.HttpClient))]
    [InlineData(typeof(System.Net.Sockets.Socket))]
    [InlineData(typeof(System.Net.Sockets.TcpClient))]
    [InlineData(typeof(System.Net.Security.SslStream))]
    [InlineData(typeof(System.Net.Dns))]
    public void The_domain_does_not_use(Type io)
    {
        var users = NamespaceGraph.Uses(Domain).Where(use => use.Used == io).Select(use => use.User.FullName).Distinct().ToList();

        Assert.True(users.Count == 0, $"{io.FullName} is used by {string.Join(", ", users)}");
    }

    [Fact]
    public void The_domain_reads_the_time_only_through_a_TimeProvider()
    {
        MethodInfo[] nows =
        [
            typeof(DateTime).GetProperty(nameof(DateTime.Now))!.GetMethod!, typeof(DateTime).GetProperty(nameof(DateTime.UtcNow))!.GetMethod!,
            typeof(DateTimeOffset).GetProperty(nameof(DateTimeOffset.Now))!.GetMethod!, typeof(DateTimeOffset).GetProperty(nameof(DateTimeOffset.UtcNow))!.GetMethod!,
        ];
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

        var readers = Domain.GetTypes()
            .SelectMany(type => type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            .Where(method => NamespaceGraph.BodyMembers(method).Any(member => nows.Contains(member)))
            .Select(method => $"{method.DeclaringType!.FullName}.{method.Name}")
            .ToList();

        Assert.True(readers.Count == 0, "The wall clock is read in " + string.Join(", ", readers));
    }
}
