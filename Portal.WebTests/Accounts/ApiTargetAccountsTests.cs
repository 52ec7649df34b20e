using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Workflow;
using Portal.Identity.BuiltIn;
using Portal.Tests.Api;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.Accounts;

/// <summary>Admins register, change and remove AWS accounts over the API; each change is a security event naming the admin.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiTargetAccountsTests(ApiPortal api)
{
    private const string Account = """
        {"name":"apimarketing","accountId":"210987654321","region":"eu-central-1",
         "roleArn":"arn:aws:iam::210987654321:role/portal-apimarketing-portal","externalId":"external-id-1"}
        """;

    [Fact]
    public async Task An_admin_registers_changes_and_removes_an_account_and_each_change_is_audited()
    {
        var adminId = await api.UserAsync("accounts-admin@example.test", "Ada Accounts", PortalRole.Admin);
        using var admin = api.Client(await api.TokenAsync("accounts-admin@example.test"));

        var created = await ReadAsync(await PostAsync(admin, "/api/v1/accounts", JsonBody(Account)), HttpStatusCode.Created);
        Assert.Equal("apimarketing", created.GetProperty("name").GetString());
        Assert.Equal("Ada Accounts", created.GetProperty("updatedBy").GetString());

        var listed = await ReadAsync(await admin.GetAsync(new Uri("/api/v1/accounts", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Contains(listed.EnumerateArray(), a => a.GetProperty("name").GetString() == "apimarketing");

        using var change = JsonBody(Account.Replace("eu-central-1", "eu-west-2", StringComparison.Ordinal));
        var changed = await ReadAsync(await admin.PutAsync(new Uri("/api/v1/accounts/apimarketing", UriKind.Relative), change), HttpStatusCode.OK);
        Assert.Equal("eu-west-2", changed.GetProperty("region").GetString());

        await ReadAsync(await admin.DeleteAsync(new Uri("/api/v1/accounts/apimarketing", UriKind.Relative)), HttpStatusCode.NoContent);
        await ProblemAsync(await admin.DeleteAsync(new Uri("/api/v1/accounts/apimarketing", UriKind.Relative)), HttpStatusCode.NotFound, "not-found");

        await using var scope = api.Portal.Services.CreateAsyncScope();
        var events = await scope.ServiceProvider.GetRequiredService<PortalIdentityDbContext>().SecurityEvents
            .Where(e => e.Subject == "apimarketing").OrderBy(e => e.AtUnixMs).ToListAsync();
        Assert.Equal(["TargetAccountAdded", "TargetAccountChanged", "TargetAccountRemoved"], events.Select(e => e.Kind));
        Assert.All(events, e => Assert.Equal(adminId, e.By));
        Assert.Contains("region eu-central-1,", events[1].Detail, StringComparison.Ordinal);
        Assert.Contains("eu-west-2", events[1].Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("external-id-1", string.Join(" ", events.Select(e => e.Detail)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_account_is_refused_field_by_field_and_nothing_is_registered()
    {
        await api.UserAsync("accounts-admin2@example.test", "Abe Accounts", PortalRole.Admin);
        using var admin = api.Client(await api.TokenAsync("accounts-admin2@example.test"));
        const string Bad = """
            {"name":"apibad","accountId":"21098765432","region":"mars-north-1",
             "roleArn":"arn:aws:iam::123456789012:role/portal","externalId":"x"}
            """;

        var problem = await FieldProblemAsync(await PostAsync(admin, "/api/v1/accounts", JsonBody(Bad)), "accountId");
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("region", out _));
        Assert.True(errors.TryGetProperty("externalId", out _));

        const string OtherAccountsRole = """
            {"name":"apibad","accountId":"210987654321","region":"eu-west-1",
             "roleArn":"arn:aws:iam::123456789012:role/portal","externalId":"external-id-1"}
            """;
        var mismatch = await FieldProblemAsync(await PostAsync(admin, "/api/v1/accounts", JsonBody(OtherAccountsRole)), "roleArn");
        Assert.Contains("123456789012, not 210987654321", mismatch.GetProperty("errors").GetProperty("roleArn")[0].GetString(), StringComparison.Ordinal);

        var listed = await ReadAsync(await admin.GetAsync(new Uri("/api/v1/accounts", UriKind.Relative)), HttpStatusCode.OK);
        Assert.DoesNotContain(listed.EnumerateArray(), a => a.GetProperty("name").GetString() == "apibad");
    }

    [Fact]
    public async Task A_request_naming_an_account_nobody_registered_is_refused_on_the_account_field()
    {
        await api.UserAsync("accounts-requester2@example.test", "Ria Requester", PortalRole.Requester);
        using var requester = api.Client(await api.TokenAsync("accounts-requester2@example.test"));
        var spec = Portal.Tests.Infrastructure.TestSpecs.Site("unregistered-account.example.com") with { Account = "nosuchaccount" };

        var problem = await FieldProblemAsync(await PostAsync(requester, "/api/v1/requests?submit=true", JsonBody(spec)), "account");

        Assert.Contains("nosuchaccount", problem.GetProperty("errors").GetProperty("account")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_requester_or_approver_may_neither_read_nor_change_accounts()
    {
        await api.UserAsync("accounts-requester@example.test", "Rae Requester", PortalRole.Requester, PortalRole.Approver);
        using var requester = api.Client(await api.TokenAsync("accounts-requester@example.test"));

        Assert.Equal(HttpStatusCode.Forbidden, (await requester.GetAsync(new Uri("/api/v1/accounts", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(requester, "/api/v1/accounts", JsonBody(Account.Replace("apimarketing", "apisneaky", StringComparison.Ordinal)))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await requester.DeleteAsync(new Uri("/api/v1/accounts/apimarketing", UriKind.Relative))).StatusCode);
    }
}
