using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Requests;
using Portal.Core.TlsReports;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.TlsReports;

/// <summary>What the intake tests share: a managed mail domain, posting a body as a sender does, reading what was kept.</summary>
internal static class TlsReportPosting
{
    public static async Task<Guid> ManagedDomainAsync(PortalFactory portal, string domain)
    {
        var created = await portal.Services.GetRequiredService<RequestService>().CreateAsync(TestSpecs.MtaSts(domain), TestActors.Alice, submit: true);
        Assert.True(created.Succeeded, created.Message);
        return created.RequestId;
    }

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string domain, byte[] body, string mediaType)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        return await client.PostAsync(new Uri($"/tlsrpt/v1/{domain}", UriKind.Relative), content);
    }

    public static async Task<List<StoredTlsReport>> StoredAsync(PortalFactory portal, string domain)
    {
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.TlsReports.AsNoTracking().Where(r => r.MailDomain == domain).ToListAsync();
    }
}
