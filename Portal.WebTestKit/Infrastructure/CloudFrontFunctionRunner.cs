using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// Runs CloudFront Function code under the real <c>node</c> with CloudFront-shaped viewer-request events: the code
/// is a plain <c>function handler(event)</c>, so the script is the code followed by one call per event, whose
/// results come back as JSON in the same order.
/// </summary>
public static class CloudFrontFunctionRunner
{
    public static async Task<IReadOnlyList<JsonObject>> RunAsync(string code, IReadOnlyList<JsonObject> events)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(events);
        var script = Path.Combine(Path.GetTempPath(), $"cf-function-{Guid.NewGuid():N}.js");
        var calls = new JsonArray(events.Select(e => (JsonNode?)e.DeepClone()).ToArray()).ToJsonString();
        await File.WriteAllTextAsync(script, code + "\n;\n" + $"console.log(JSON.stringify({calls}.map(function (e) {{ return handler(e); }})));\n");
        try
        {
            using var process = Process.Start(new ProcessStartInfo("node", [script])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException("node did not start.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"node failed ({process.ExitCode}): {await stderr}");
            }

            return JsonNode.Parse(await stdout)!.AsArray().Select(r => r!.AsObject()).ToList();
        }
        finally
        {
            File.Delete(script);
        }
    }

    public static async Task<JsonObject> RunAsync(string code, JsonObject viewerRequest) => (await RunAsync(code, [viewerRequest]))[0];

    /// <summary>A viewer-request event as CloudFront passes it (header names in lower case, query string parsed).</summary>
    public static JsonObject ViewerRequest(string host, string uri, string method = "GET", JsonObject? querystring = null) => new()
    {
        ["version"] = "1.0",
        ["context"] = new JsonObject { ["distributionDomainName"] = "d111111abcdef8.cloudfront.net", ["distributionId"] = "EDFDVBD6EXAMPLE", ["eventType"] = "viewer-request", ["requestId"] = "4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==" },
        ["viewer"] = new JsonObject { ["ip"] = "198.51.100.11" },
        ["request"] = new JsonObject
        {
            ["method"] = method,
            ["uri"] = uri,
            ["querystring"] = querystring ?? new JsonObject(),
            ["headers"] = new JsonObject { ["host"] = new JsonObject { ["value"] = host } },
            ["cookies"] = new JsonObject(),
        },
    };

    /// <summary>A query string in CloudFront's shape: one <c>value</c>, or <c>multiValue</c> when a name repeats.</summary>
    public static JsonObject Query(params (string Name, string Value)[] pairs)
    {
        var result = new JsonObject();
        foreach (var group in pairs.GroupBy(p => p.Name))
        {
            var values = group.Select(p => p.Value).ToList();
            var entry = new JsonObject { ["value"] = values[0] };
            if (values.Count > 1)
            {
                entry["multiValue"] = new JsonArray(values.Select(v => (JsonNode?)new JsonObject { ["value"] = v }).ToArray());
            }

            result[group.Key] = entry;
        }

        return result;
    }
}
