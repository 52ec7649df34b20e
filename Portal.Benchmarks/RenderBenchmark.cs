using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Templates;
using Portal.Tests.Templates;

namespace Portal.Tests.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project Portal.Benchmarks -- bench render [--count 1000] [--seed 1]</c>: renders both
/// environments of generated site requests, resolves and validates every stack against the CloudFormation schemas,
/// and prints the median and 95th percentile time per site and the peak memory. A measurement, not a test.
/// </summary>
public static class RenderBenchmark
{
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var count = BenchmarkCommand.Option(args, "--count", 1000);
        var seed = BenchmarkCommand.Option(args, "--seed", 1);
        var renderer = new StackRenderer(TemplateLibrary.LoadEmbedded(), RenderMatrix.DefaultSettings);
        var schemas = ResourceSchemas.Shared;
        var random = new Random(seed);
        var requests = Enumerable.Range(0, count).Select(i => GenerateSite(random, i)).ToList();

        // Warm up the JIT and the schema caches so the figures are steady-state work.
        foreach (var request in requests.Take(20))
        {
            RenderAndValidate(renderer, schemas, request);
        }

        var perSite = new List<double>(count);
        var stacks = 0;
        var total = Stopwatch.StartNew();
        foreach (var request in requests)
        {
            var watch = Stopwatch.StartNew();
            stacks += RenderAndValidate(renderer, schemas, request);
            perSite.Add(watch.Elapsed.TotalMilliseconds);
        }

        total.Stop();
        perSite.Sort();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sites: {count} (both environments), stacks rendered and schema-validated: {stacks}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median per site: {perSite[count / 2]:F2} ms, p95: {perSite[(int)(count * 0.95)]:F2} ms, total: {total.Elapsed.TotalSeconds:F2} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set: {process.PeakWorkingSet64 / 1048576.0:F1} MiB, managed heap now: {GC.GetTotalMemory(false) / 1048576.0:F1} MiB, allocated: {GC.GetTotalAllocatedBytes() / 1048576.0:F0} MiB"));
        return 0;
    }

    private static int RenderAndValidate(StackRenderer renderer, ResourceSchemas schemas, RenderRequest request)
    {
        var stacks = 0;
        foreach (var environment in new[] { DeploymentEnvironment.Testing, DeploymentEnvironment.Production })
        {
            var result = renderer.Render(request, environment);
            if (!result.IsSuccess)
            {
                throw new InvalidOperationException($"{request.Spec.PrimaryName}: {result.Errors[0].Field}: {result.Errors[0].Message}");
            }

            foreach (var stack in result.Stacks)
            {
                var template = JsonNode.Parse(stack.TemplateBody)!.AsObject();
                var (resolved, failures) = TemplateEvaluator.Resolve(template, stack.Parameters.ToDictionary(p => p.ParameterKey, p => p.ParameterValue), stack.Region);
                var problems = schemas.Validate(resolved);
                if (failures.Count > 0 || problems.Count > 0)
                {
                    throw new InvalidOperationException($"{stack.StackName}: {string.Join("; ", failures.Concat(problems))}");
                }

                stacks++;
            }
        }

        return stacks;
    }

    private static readonly string[] Csps =
    [
        SiteSpec.DefaultCsp,
        "default-src 'self'",
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    ];

    private static RenderRequest GenerateSite(Random random, int index)
    {
        var zone = $"zone{random.Next(50)}.example";
        var host = $"site-{index}.{(random.Next(2) == 0 ? "" : "docs.")}{zone}";
        var redirects = Enumerable.Range(0, random.Next(3)).Select(i => $"r{i}.{host}").ToList();
        var rules = Enumerable.Range(0, random.Next(6)).Select(i => new CacheRule($"/p{i}/*", $"max-age={(i + 1) * 600}")).ToList();
        var spec = new SiteSpec
        {
            Host = host,
            HostedZoneId = "Z" + random.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture),
            HostedZoneName = zone,
            Csp = Csps[random.Next(Csps.Length)],
            ViewerProtocol = random.Next(2) == 0 ? ViewerProtocol.RedirectToHttps : ViewerProtocol.HttpsOnly,
            HstsPreload = random.Next(10) != 0,
            RedirectFrom = redirects,
            CacheRules = rules,
        };
        var id = new byte[16];
        random.NextBytes(id);
        return new RenderRequest(new Guid(id), 1 + random.Next(5), "Benchmark", spec);
    }
}
