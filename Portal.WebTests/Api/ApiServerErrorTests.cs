using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Persistence;
using Portal.Tests.Identity;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.Api;

/// <summary>
/// A failure behind the API is a 500 problem document in Production too, not the pages' error handling (which
/// re-executes a page that needs a session and so sent every script to sign in).
/// </summary>
public sealed class ApiServerErrorTests
{
    [Fact]
    public async Task A_failing_database_answers_a_500_problem_document_in_production()
    {
        await using var portal = new LivePortal(environment: "Production");
        using var client = ApiTokens.Client(portal, Persona.Requester);
        await ReadAsync(await client.GetAsync(new Uri("/api/v1/requests", UriKind.Relative)), HttpStatusCode.OK);

        // A real fault under the running portal: the requests table is gone.
        await using (var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE requests RENAME TO requests_gone");
        }

        using var response = await client.GetAsync(new Uri("/api/v1/requests", UriKind.Relative));

        Assert.Null(response.Headers.Location);
        var problem = await ProblemAsync(response, HttpStatusCode.InternalServerError, "server-error");
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        Assert.DoesNotContain("requests_gone", problem.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("no such table", problem.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
