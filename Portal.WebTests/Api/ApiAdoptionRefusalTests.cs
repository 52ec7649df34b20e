using System.Net;
using Portal.Core.Workflow;
using Portal.Tests.Aws.Loopback;
using Portal.Tests.Deployments;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.Api;

/// <summary>
/// <c>POST /api/v1/adoptions</c> refuses what cannot be adopted before anything is read or recorded: a requester (not an
/// admin), a body without an owner, and a mail domain the portal already manages, each as a problem document.
/// </summary>
public sealed class ApiAdoptionRefusalTests : IAsyncLifetime
{
    private LoopbackAws _aws = null!;
    private ApiPortal _api = null!;
    private string _data = "";

    public async Task InitializeAsync()
    {
        _aws = await LoopbackAws.StartAsync();
        _data = Directory.CreateTempSubdirectory("portal-api-adoption-").FullName;
        _api = new ApiPortal { Settings = PortalAwsSettings.For(_aws, _data, withCredentials: false), DataDirectory = _data };
        await _api.InitializeAsync();
        await _api.UserAsync("ada@example.test", "Ada Admin", PortalRole.Admin);
        await _api.UserAsync("alice@example.test", "Alice Requester", PortalRole.Requester);
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _aws.DisposeAsync();
        TestDirectories.Delete(_data);
    }

    [Fact]
    public async Task A_requester_no_owner_and_a_managed_domain_are_refused()
    {
        using var admin = _api.Client(await _api.TokenAsync("ada@example.test"));
        using var alice = _api.Client(await _api.TokenAsync("alice@example.test"));
        using var managed = await PostAsync(alice, "/api/v1/requests", JsonBody(TestSpecs.MtaSts("managed.example.com") with { HostedZoneId = null }));
        Assert.Equal(HttpStatusCode.Created, managed.StatusCode);
        var managedId = Id(await ReadAsync(managed, HttpStatusCode.Created));

        using var byRequester = await PostAsync(alice, "/api/v1/adoptions", JsonBody("{\"domain\":\"example.net\",\"ownerId\":\"alice\"}"));
        var noOwner = await FieldProblemAsync(await PostAsync(admin, "/api/v1/adoptions", JsonBody("{\"domain\":\"example.net\"}")), "ownerId");
        var already = await ProblemAsync(await PostAsync(admin, "/api/v1/adoptions", JsonBody("{\"domain\":\"Managed.Example.com\",\"ownerId\":\"alice\",\"ownerName\":\"Alice\"}")),
            HttpStatusCode.Conflict, "conflict");

        Assert.Equal(HttpStatusCode.Forbidden, byRequester.StatusCode);
        Assert.Equal("Name the owner by their subject id (as the Users page shows it).", noOwner.GetProperty("detail").GetString());
        Assert.Equal($"managed.example.com is already managed by the portal: request {managedId} is a draft. Nothing was adopted.", already.GetProperty("detail").GetString());
    }
}
