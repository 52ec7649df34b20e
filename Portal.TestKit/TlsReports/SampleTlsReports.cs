using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace Portal.Tests.TlsReports;

/// <summary>One failure-details entry of a sample report.</summary>
public sealed record SampleFailure(string ResultType, string ReceivingMx, long Sessions);

/// <summary>
/// TLS reports shaped as real senders write them: RFC 8460 section 4.8's example, a large mailbox provider's daily
/// report (no failure details, one policy), and a lenient sender's (counts as strings, one <c>mx-host</c> as a string,
/// no contact-info).
/// </summary>
public static class SampleTlsReports
{
    /// <summary>RFC 8460 section 4.8's example, for <paramref name="domain"/>: 5326 successful and 303 failed sessions.</summary>
    public static string RfcExample(string domain = "company-y.example", string reportId = "5065427c-23d3-47ca-b6e0-946ea0e8c4be") => $$"""
        {
          "organization-name": "Company-X",
          "date-range": {
            "start-datetime": "2016-04-01T00:00:00Z",
            "end-datetime": "2016-04-01T23:59:59Z"
          },
          "contact-info": "sts-reporting@company-x.example",
          "report-id": "{{reportId}}",
          "policies": [{
            "policy": {
              "policy-type": "sts",
              "policy-string": ["version: STSv1", "mode: testing", "mx: *.mail.{{domain}}", "max_age: 86400"],
              "policy-domain": "{{domain}}",
              "mx-host": ["*.mail.{{domain}}"]
            },
            "summary": {
              "total-successful-session-count": 5326,
              "total-failure-session-count": 303
            },
            "failure-details": [{
              "result-type": "certificate-expired",
              "sending-mta-ip": "2001:db8:abcd:0012::1",
              "receiving-mx-hostname": "mx1.mail.{{domain}}",
              "failed-session-count": 100
            }, {
              "result-type": "starttls-not-supported",
              "sending-mta-ip": "2001:db8:abcd:0013::1",
              "receiving-mx-hostname": "mx2.mail.{{domain}}",
              "receiving-ip": "203.0.113.56",
              "failed-session-count": 200,
              "additional-information": "https://reports.company-x.example/report_info?id=5065427c-23d3#StarttlsNotSupported"
            }, {
              "result-type": "validation-failure",
              "sending-mta-ip": "198.51.100.62",
              "receiving-ip": "203.0.113.58",
              "receiving-mx-hostname": "mx-backup.mail.{{domain}}",
              "failed-session-count": 3,
              "failure-reason-code": "X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED"
            }]
          }]
        }
        """;

    /// <summary>A daily report as a large provider sends it: one policy, its MX list, counts, failure details only when there were failures.</summary>
    public static string Daily(string domain, DateOnly day, long successful, IReadOnlyList<SampleFailure>? failures = null,
        string organization = "Google Inc.", string? reportId = null, IReadOnlyList<string>? mxHosts = null)
    {
        failures ??= [];
        var policy = new JsonObject
        {
            ["policy-type"] = "sts",
            ["policy-string"] = new JsonArray("version: STSv1", "mode: testing", $"mx: mx1.{domain}", $"mx: mx2.{domain}", "max_age: 604800"),
            ["policy-domain"] = domain,
            ["mx-host"] = new JsonArray((mxHosts ?? [$"mx1.{domain}", $"mx2.{domain}"]).Select(h => (JsonNode)JsonValue.Create(h)).ToArray()),
        };
        var entry = new JsonObject
        {
            ["policy"] = policy,
            ["summary"] = new JsonObject
            {
                ["total-successful-session-count"] = successful,
                ["total-failure-session-count"] = failures.Sum(f => f.Sessions),
            },
        };
        if (failures.Count > 0)
        {
            entry["failure-details"] = new JsonArray(failures.Select(f => (JsonNode)new JsonObject
            {
                ["result-type"] = f.ResultType,
                ["sending-mta-ip"] = "192.0.2.10",
                ["receiving-mx-hostname"] = f.ReceivingMx,
                ["receiving-ip"] = "198.51.100.25",
                ["failed-session-count"] = f.Sessions,
            }).ToArray());
        }

        var start = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        return new JsonObject
        {
            ["organization-name"] = organization,
            ["date-range"] = new JsonObject
            {
                ["start-datetime"] = start.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                ["end-datetime"] = start.AddDays(1).AddSeconds(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            },
            ["contact-info"] = "smtp-tls-reporting@google.com",
            ["report-id"] = reportId ?? $"{day:yyyy-MM-dd}T00:00:00Z_{domain}",
            ["policies"] = new JsonArray(entry),
        }.ToJsonString();
    }

    /// <summary>A sender's small deviations: counts as strings, <c>mx-host</c> as one string, no contact-info, an extra field.</summary>
    public static string Lenient(string domain, string reportId = "lenient-1") => $$"""
        {
          "organization-name": "Small Mail Co",
          "date-range": { "start-datetime": "2026-11-30T00:00:00Z", "end-datetime": "2026-11-30T23:59:59Z" },
          "report-id": "{{reportId}}",
          "x-sender-version": 3,
          "policies": [{
            "policy": { "policy-type": "sts", "policy-domain": "{{domain}}", "mx-host": "mx1.{{domain}}" },
            "summary": { "total-successful-session-count": "40", "total-failure-session-count": "2" },
            "failure-details": [{ "result-type": "certificate-host-mismatch", "receiving-mx-hostname": "MX1.{{domain}}.", "failed-session-count": "2" }]
          }]
        }
        """;

    public static byte[] Gzip(string json) => Gzip(Encoding.UTF8.GetBytes(json));

    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    /// <summary>A gzip bomb: a few kilobytes on the wire that inflate to <paramref name="inflatedBytes"/> of spaces.</summary>
    public static byte[] Bomb(long inflatedBytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var block = new byte[1024 * 1024];
            Array.Fill(block, (byte)' ');
            for (long written = 0; written < inflatedBytes; written += block.Length)
            {
                gzip.Write(block, 0, (int)Math.Min(block.Length, inflatedBytes - written));
            }
        }

        return output.ToArray();
    }
}
