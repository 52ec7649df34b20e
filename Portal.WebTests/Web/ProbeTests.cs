using System.Net;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Web;

public sealed class ProbeTests
{
    [Fact]
    public async Task Healthz_answers_while_the_process_is_up()
    {
        await using var portal = new PortalFactory();
        using var client = portal.CreateClient();

        var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Readyz_answers_200_when_the_sqlite_database_is_created_and_reachable()
    {
        await using var portal = new PortalFactory();
        using var client = portal.CreateClient();

        var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(File.Exists(Path.Combine(portal.DataDirectory, "portal.db")));
    }

    [Fact]
    public async Task Readyz_answers_503_when_the_database_is_unreachable_but_healthz_still_200()
    {
        await using var portal = new PortalFactory(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=none;Database=none;Timeout=2",
            ["Database:MigrateOnStart"] = "false",
        });
        using var client = portal.CreateClient();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
    }
}
