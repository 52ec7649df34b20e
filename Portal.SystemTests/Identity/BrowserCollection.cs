namespace Portal.Tests.Identity;

/// <summary>
/// Browser tests run on their own, after the parallel tests: Chromium aborts navigations with ERR_NETWORK_CHANGED
/// when other tests create or remove the network links of their private namespaces at the same moment.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection
{
    public const string Name = "Browser";
}
