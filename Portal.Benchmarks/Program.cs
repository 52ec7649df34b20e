using Portal.Benchmarks;

if (args.Length != 1 || args[0] != "tracking")
{
    Console.Error.WriteLine("usage: dotnet run --project Portal.Benchmarks -c Release -- tracking");
    return 2;
}

return await TrackingBenchmark.RunAsync(Console.Out);
