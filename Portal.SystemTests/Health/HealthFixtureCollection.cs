namespace Portal.Tests.Health;

/// <summary>Test classes of this assembly that share one fixture (a collection is defined in the assembly of its tests).</summary>
[CollectionDefinition(Name)]
public sealed class HealthFixtureCollection : ICollectionFixture<HealthFixtureNetwork>
{
    public const string Name = "Health fixtures";
}
