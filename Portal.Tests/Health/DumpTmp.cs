using Portal.Core.Health;
namespace Portal.Tests.Health;
[Collection(HealthFixtureCollection.Name)]
public sealed class DumpTmp(HealthFixtureNetwork f)
{
    [Fact]
    public async Task Dump()
    {
        var sb = new System.Text.StringBuilder();
        foreach (var d in f.MailDomains.Append("unserved.example"))
        {
            var r = await f.MailAsync(d);
            var q = d == "unserved.example" ? null : await Portal.Tests.Infrastructure.MtaStsQueryTool.QueryMtaStsAsync(f.Network, d);
            sb.AppendLine($"== {d} verdict={r.Verdict} mode={r.MtaStsMode} id={r.PolicyId} dur={r.Duration.TotalMilliseconds:0} query={q?.Status} {q?.Mode}");
            foreach (var x in r.Findings) sb.AppendLine($"  {x.Id} {x.Severity} | {x.Message} | {x.Reference} | ev={x.Evidence?.Replace("\n"," / ")}");
        }
        foreach (var h in new[]{"site-good.test","site-no-aaaa.test","site-no-a.test","site-no-address.test","site-expired.test","site-expiring.test","site-tls10.test","site-no-h2.test","site-http-redirect-missing.test","site-bare-headers.test","site-no-compression.test"})
        {
            var r = await f.SiteAsync(h);
            sb.AppendLine($"== {h} grade={r.Grade} score={r.Score} dur={r.Duration.TotalMilliseconds:0}");
            foreach (var x in r.Findings) sb.AppendLine($"  {x.Id} {x.Severity} | {x.Message} | {x.Reference} | ev={x.Evidence?.Replace("\n"," / ")}");
        }
        await File.WriteAllTextAsync("/tmp/health-dump.txt", sb.ToString());
    }
}
