using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Workflow;
using Portal.Infrastructure.Persistence;
using Portal.Tests.Api;
using Xunit.Abstractions;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.Security;

/// <summary>
/// Ten thousand hostile bodies, generated from a fixed seed out of valid ones, across every API endpoint that takes a
/// JSON body (create, revise, and the workflow actions with reasons), sent by people allowed to call them: none gets a
/// 500, every refusal is an RFC 9457 problem document, a bad body's refusal names the field (or <c>$</c> for the body),
/// and nothing is stored for a refused body (request, revision and audit counts and request versions unchanged).
/// Content upload takes a zip, not JSON, and the health endpoint takes no body, so neither is here.
/// </summary>
public sealed class HostileBodyFuzzTests(ApiPortal api, ITestOutputHelper output) : IClassFixture<ApiPortal>
{
    private const int Seed = 20261214;
    private const int Bodies = 10_000;

    /// <summary>Longer than any one string the API takes (reasons, header values, CSP as typed are shorter).</summary>
    private const int LongestAcceptedString = 2000;

    private static readonly HashSet<string> SiteNullable = new(StringComparer.Ordinal) { "deployRole" };
    private static readonly HashSet<string> MtaNullable = new(StringComparer.Ordinal) { "hostedZoneId", "hostedZoneName" };
    private static readonly HashSet<string> ActionNullable = new(StringComparer.Ordinal) { "reason", "expectedVersion" };

    private sealed record Target(string Name, HttpClient Client, string Path, JsonObject Valid, HostileBodies Generator);

    private sealed record Snapshot(int Requests, int Revisions, int AuditEvents, long Versions);

    [Fact]
    public async Task Hostile_bodies_never_cause_a_500_are_refused_by_field_and_store_nothing()
    {
        await api.UserAsync("fuzz-requester@example.test", "Fuzz Requester", PortalRole.Requester);
        await api.UserAsync("fuzz-approver@example.test", "Fuzz Approver", PortalRole.Approver);
        using var requester = api.Client(await api.TokenAsync("fuzz-requester@example.test"));
        using var approver = api.Client(await api.TokenAsync("fuzz-approver@example.test"));

        var draftSite = await CreateAsync(requester, Site("fuzz-a.example.com"), submit: false);
        var draftMta = await CreateAsync(requester, Mta("fuzz-mail.example.org"), submit: false);
        var submitted = await CreateAsync(requester, Site("fuzz-w.example.com"), submit: true);
        var action = new JsonObject { ["reason"] = "Not needed any more.\nSee the ticket.", ["expectedVersion"] = 1 };

        var random = new Random(Seed);
        HostileBodies Generator(IReadOnlySet<string> nullable, bool multiline) => new(random, nullable, multiline, LongestAcceptedString);
        Target[] targets =
        [
            new("create site", requester, "/api/v1/requests", Site("fuzz-new.example.com"), Generator(SiteNullable, false)),
            new("create mta-sts", requester, "/api/v1/requests", Mta("fuzz-new.example.org"), Generator(MtaNullable, false)),
            new("revise site", requester, $"/api/v1/requests/{draftSite}/revisions", Site("fuzz-a.example.com"), Generator(SiteNullable, false)),
            new("revise mta-sts", requester, $"/api/v1/requests/{draftMta}/revisions", Mta("fuzz-mail.example.org"), Generator(MtaNullable, false)),
            new("reject", approver, $"/api/v1/requests/{draftSite}/actions/reject", action, Generator(ActionNullable, true)),
            new("promote", approver, $"/api/v1/requests/{draftSite}/actions/promote", action, Generator(ActionNullable, true)),
            new("withdraw (not owner)", approver, $"/api/v1/requests/{draftMta}/actions/withdraw", action, Generator(ActionNullable, true)),
            new("withdraw (owner)", requester, $"/api/v1/requests/{submitted}/actions/withdraw", action, Generator(ActionNullable, true)),
            new("decommission", requester, $"/api/v1/requests/{draftSite}/actions/decommission", action, Generator(ActionNullable, true)),
        ];

        var failures = new List<string>();
        var failureCount = 0;
        var refusals = 0;
        var statuses = new SortedDictionary<int, int>();
        var sending = new System.Diagnostics.Stopwatch();
        var counting = new System.Diagnostics.Stopwatch();
        var generating = new System.Diagnostics.Stopwatch();
        var before = await SnapshotAsync();
        for (var i = 0; i < Bodies; i++)
        {
            var target = targets[i % targets.Length];
            generating.Start();
            var body = target.Generator.Next(target.Valid);
            generating.Stop();
            using var content = new ByteArrayContent(body.Bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            sending.Start();
            using var response = await target.Client.PostAsync(new Uri(target.Path, UriKind.Relative), content);
            var text = await response.Content.ReadAsStringAsync();
            sending.Stop();
            counting.Start();
            var after = await SnapshotAsync();
            counting.Stop();
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;

            var problem = status >= 400 ? Check(body, status, response.Content.Headers.ContentType?.MediaType, text, before, after) : null;
            if (status >= 400)
            {
                refusals++;
            }
            else if (body.MustRefuse)
            {
                problem = $"accepted with {status}";
            }

            if (problem is not null)
            {
                failureCount++;
                if (failures.Count < 25)
                {
                    failures.Add($"#{i} {target.Name} [{body.Mutation}]: {problem}\n    body: {body.Preview()}\n    answer: {text[..Math.Min(text.Length, 400)]}");
                }
            }

            before = after;
        }

        output.WriteLine($"answers by status: {string.Join(", ", statuses.Select(p => $"{p.Key}: {p.Value}"))}; generating {generating.Elapsed}, sending {sending.Elapsed}, counting {counting.Elapsed}");
        Assert.True(failureCount == 0, $"{failureCount} of {Bodies} bodies were mishandled:\n{string.Join("\n", failures)}");
        // Most hostile bodies must be refused, or the generator is not producing hostile bodies.
        Assert.True(refusals > Bodies * 9 / 10, $"only {refusals} of {Bodies} refused");
    }

    private static string? Check(HostileBody body, int status, string? mediaType, string text, Snapshot before, Snapshot after)
    {
        if (status >= 500)
        {
            return $"server error {status}";
        }

        if (before != after)
        {
            return $"refused with {status} but something was stored: {before} -> {after}";
        }

        if (mediaType != "application/problem+json")
        {
            return $"{status} with {mediaType ?? "no content type"}, not a problem document";
        }

        JsonElement document;
        try
        {
            using var parsed = JsonDocument.Parse(text);
            document = parsed.RootElement.Clone();
        }
        catch (JsonException)
        {
            return "problem document is not JSON";
        }

        if (!document.TryGetProperty("status", out var statusValue) || statusValue.GetInt32() != status
            || !document.TryGetProperty("title", out var title) || string.IsNullOrWhiteSpace(title.GetString()))
        {
            return "problem document without matching status and a title";
        }

        if (body.Status != 400 && status != body.Status)
        {
            return $"expected {body.Status}, got {status}";
        }

        if (status != 400)
        {
            return body.Fields.Count > 0 ? $"expected 400 naming {string.Join(" or ", body.Fields)}, got {status}" : null;
        }

        if (!document.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Object || !errors.EnumerateObject().Any())
        {
            return "400 without errors by field";
        }

        foreach (var field in errors.EnumerateObject())
        {
            if (field.Name.Length == 0 || field.Value.ValueKind != JsonValueKind.Array
                || !field.Value.EnumerateArray().Any() || field.Value.EnumerateArray().Any(m => string.IsNullOrWhiteSpace(m.GetString())))
            {
                return $"error entry '{field.Name}' without a message";
            }
        }

        // A field is named by its own path or a path inside it (an unknown field within a replaced object).
        var named = errors.EnumerateObject().Select(e => e.Name).ToList();
        return body.Fields.Count == 0 || body.Fields.Any(f => named.Any(n => n == f || n.StartsWith(f + ".", StringComparison.Ordinal) || n.StartsWith(f + "[", StringComparison.Ordinal)))
            ? null
            : $"errors name {string.Join(", ", named)}, expected {string.Join(" or ", body.Fields)}";
    }

    private async Task<Snapshot> SnapshotAsync()
    {
        var factory = api.Portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        return new(
            await db.Requests.CountAsync(),
            await db.Revisions.CountAsync(),
            await db.AuditEvents.CountAsync(),
            await db.Requests.SumAsync(r => (long)r.Version));
    }

    private static async Task<Guid> CreateAsync(HttpClient client, JsonObject spec, bool submit)
    {
        using var body = JsonBody(spec.ToJsonString());
        using var response = await PostAsync(client, "/api/v1/requests" + (submit ? "?submit=true" : ""), body);
        return Id(await ReadAsync(response, System.Net.HttpStatusCode.Created));
    }

    private static JsonObject Site(string host) => new()
    {
        ["kind"] = "site",
        ["host"] = host,
        ["hostedZoneId"] = "Z0123456789ABC",
        ["hostedZoneName"] = host[(host.IndexOf('.', StringComparison.Ordinal) + 1)..],
        ["environments"] = new JsonArray("testing", "production"),
        ["csp"] = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
        ["referrerPolicy"] = "no-referrer",
        ["permissionsPolicy"] = "camera=(), microphone=()",
        ["hstsPreload"] = true,
        ["viewerProtocol"] = "redirect-to-https",
        ["redirectFrom"] = new JsonArray("www." + host),
        ["cacheRules"] = new JsonArray(new JsonObject { ["pathPattern"] = "/assets/*", ["cacheControl"] = "max-age=86400" }),
        ["deployRole"] = new JsonObject { ["repository"] = "acme/docs-site", ["branch"] = "main" },
    };

    private static JsonObject Mta(string domain) => new()
    {
        ["kind"] = "mta-sts",
        ["domain"] = domain,
        ["mode"] = "enforce",
        ["maxAge"] = 604800,
        ["mx"] = new JsonArray("mx1." + domain, "*.mail." + domain),
        ["tlsRptRua"] = new JsonArray("mailto:tlsrpt@" + domain, "https://reports." + domain + "/tlsrpt"),
        ["hostedZoneId"] = "Z0123456789ABC",
        ["hostedZoneName"] = domain,
    };
}
