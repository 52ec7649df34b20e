namespace Portal.Tests.Api;

/// <summary>Test classes of this assembly that share one fixture (a collection is defined in the assembly of its tests).</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiPortal>
{
    public const string Name = "api";
}
