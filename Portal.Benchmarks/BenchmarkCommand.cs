namespace Portal.Tests.Benchmarks;

/// <summary>
/// The entry point of <c>dotnet run -c Release --project Portal.Benchmarks -- bench ...</c>: measurements, not tests.
/// <c>bench render</c> (<see cref="RenderBenchmark"/>), <c>bench health</c> (<see cref="HealthBenchmark"/>) <c>bench tracking</c> (<see cref="TrackingBenchmark"/>), <c>bench requests</c> (<see cref="RequestListBenchmark"/>) <c>bench sandbox</c> (<see cref="SandboxBenchmark"/>), <c>bench memory</c> (<see cref="MemoryBenchmark"/>) and <c>bench pages</c> (<see cref="PageRenderBenchmark"/>).
/// </summary>
public static class BenchmarkCommand
{
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args is ["bench", "render", ..] ? RenderBenchmark.Run(args)
            : args is ["bench", "health", ..] ? await HealthBenchmark.RunAsync(args)
            : args is ["bench", "tracking", ..] ? await TrackingBenchmark.RunAsync(Console.Out)
            : args is ["bench", "requests", ..] ? await RequestListBenchmark.RunAsync(args, Console.Out)
            : args is ["bench", "sandbox", ..] ? await SandboxBenchmark.RunAsync(Console.Out)
            : args is ["bench", "memory", ..] ? await MemoryBenchmark.RunAsync(args, Console.Out)
            : args is ["bench", "pages", ..] ? await PageRenderBenchmark.RunAsync(args, Console.Out)
            : Usage();
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: bench render [--count N] [--seed N]");
        Console.Error.WriteLine("       bench health [--domains N] [--concurrency N] [--query-domains N]");
        Console.Error.WriteLine("       bench tracking");
        Console.Error.WriteLine("       bench requests [--rows N] [--repeat N]");
        Console.Error.WriteLine("       bench sandbox");
        Console.Error.WriteLine("       bench memory [--rounds N] [--idle SECONDS] [--env KEY=VALUE ...]");
        Console.Error.WriteLine("       bench pages [--rows N] [--repeat N]");
        return 2;
    }

    internal static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out var value) && value > 0 ? value : fallback;
    }
}
