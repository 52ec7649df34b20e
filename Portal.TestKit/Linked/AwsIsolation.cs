using System.Runtime.CompilerServices;
using Portal.Tests.Aws;

namespace Portal.Tests;

/// <summary>
/// Compiled into each test assembly (linked by its project file, not part of Portal.TestKit): before any test of that
/// assembly runs, AWS credentials and metadata of the machine are out of reach.
/// </summary>
internal static class AwsIsolation
{
    [ModuleInitializer]
    internal static void Isolate() => AwsTestEnvironment.Isolate();
}
