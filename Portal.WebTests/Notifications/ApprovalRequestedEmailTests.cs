using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Workflow;
using Portal.Infrastructure.Notifications;
using Portal.Infrastructure.Requests;
using Portal.Tests.Identity;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Notifications;

/// <summary>
/// When a requester asks for approval, the running portal mails each approver (never the requester) through a real
/// SMTP server, with a link to the request page that opens for the approver.
/// </summary>
public sealed partial class ApprovalRequestedEmailTests
{
    [Fact]
    public async Task Approvers_are_mailed_with_a_link_that_opens_the_request_and_the_requester_is_not()
    {
        await using var smtp = new TestSmtpServer();
        await using var portal = new PortalFactory(new Dictionary<string, string?>
        {
            ["Notifications:PublicBaseUrl"] = "http://localhost/",
            ["Notifications:PollInterval"] = "00:00:00.100",
            ["Notifications:Smtp:Host"] = "127.0.0.1",
            ["Notifications:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notifications:Smtp:Security"] = "None",
            ["Notifications:Smtp:From"] = "portal@example.test",
        });
        var services = portal.Services;
        var people = services.GetRequiredService<NotificationPeople>();

        // Sign-ins as the sessions of Sessions.ClientFor make them: Rita requests, Arno approves.
        var rita = Actor.Person("req-1", "Rita Requester", DateTimeOffset.UtcNow, PortalRole.Requester, PortalRole.Approver);
        var arno = Actor.Person("app-1", "Arno Approver", DateTimeOffset.UtcNow, PortalRole.Approver);
        await people.SeenAsync(rita, "rita@example.test");
        await people.SeenAsync(arno, "arno@example.test");
        using (var warmup = Sessions.ClientFor(portal, Persona.Approver))
        {
            // Starts the host and its notification worker, which begins at the present moment.
            Assert.Equal(HttpStatusCode.OK, (await warmup.GetAsync(new Uri("/approvals", UriKind.Relative))).StatusCode);
        }

        await WaitForOutboxStartAsync(services);
        var requests = services.GetRequiredService<RequestService>();
        var created = await requests.CreateAsync(TestSpecs.Site("notify.example.com"), rita, submit: true);
        Assert.True(created.Succeeded, created.Message);
        var id = created.RequestId;
        Assert.True((await requests.ApplyAsync(id, WorkflowAction.StartTestingDeployment, Actor.System)).Succeeded);
        Assert.True((await requests.ApplyAsync(id, WorkflowAction.CompleteTestingDeployment, Actor.System)).Succeeded);
        Assert.True((await requests.ApplyAsync(id, WorkflowAction.RequestApproval, rita)).Succeeded);

        // Rita hears that testing is ready (her request); the approval request goes to Arno alone.
        var ready = await smtp.NextAsync(TimeSpan.FromSeconds(60));
        Assert.Equal("[portal] Testing is ready: notify.example.com", ready.Subject);
        Assert.Equal(["rita@example.test"], ready.To.Mailboxes.Select(m => m.Address));
        var mail = await smtp.NextAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(["arno@example.test"], mail.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("[portal] Approval requested: notify.example.com", mail.Subject);
        var link = LinkPattern().Match(mail.TextBody ?? "").Groups[1].Value;
        Assert.Equal($"http://localhost/requests/{id}", link);

        using var approver = Sessions.ClientFor(portal, Persona.Approver);
        var page = await approver.GetAsync(new Uri(link));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("notify.example.com", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Nothing else was sent: in particular no approval request to Rita, though she is an approver too.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(smtp.TryTake(out var extra), extra?.Subject);
    }

    private static async Task WaitForOutboxStartAsync(IServiceProvider services)
    {
        var db = services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Portal.Infrastructure.Persistence.PortalDbContext>>();
        for (var i = 0; i < 600; i++)
        {
            await using var ctx = await db.CreateDbContextAsync();
            if (ctx.NotificationSources.Any())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("The notification worker never started.");
    }

    [GeneratedRegex(@"Open: (\S+)")]
    private static partial Regex LinkPattern();
}
