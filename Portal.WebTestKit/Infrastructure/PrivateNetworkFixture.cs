namespace Portal.Tests.Infrastructure;

/// <summary>
/// One <see cref="PrivateNetwork"/> per test class (<c>IClassFixture&lt;PrivateNetworkFixture&gt;</c>): made before
/// the class's first test and removed after its last, whatever their outcome. Classes run in parallel, each in its
/// own namespace and address block, so no test depends on another class or on order. Tests of one class run one
/// at a time and may restart DNS and web with their own records and sites.
/// </summary>
public sealed class PrivateNetworkFixture : IAsyncLifetime
{
    private PrivateNetwork? network;

    public PrivateNetwork Network => network ?? throw new InvalidOperationException("The private network is not created yet.");

    public async Task InitializeAsync() => network = await PrivateNetwork.CreateAsync();

    public async Task DisposeAsync()
    {
        if (network is not null)
        {
            await network.DisposeAsync();
        }
    }
}
