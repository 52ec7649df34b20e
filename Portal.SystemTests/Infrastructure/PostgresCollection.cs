namespace Portal.Tests.Infrastructure;

/// <summary>Test classes of this assembly that share one fixture (a collection is defined in the assembly of its tests).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
