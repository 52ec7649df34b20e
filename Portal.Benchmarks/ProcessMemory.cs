using System.Globalization;

namespace Portal.Tests.Benchmarks;

/// <summary>
/// Resident memory of a process from /proc/&lt;pid&gt;/status (kB there): in all, anonymous (the heaps, managed and
/// native), file-backed (mapped assemblies and libraries), shared (the runtime's double-mapped code and stubs when
/// W^X is on, its default) and the peak.
/// </summary>
internal sealed record ProcessMemory(long Rss, long Anonymous, long FileBacked, long Shared, long Peak)
{
    public static ProcessMemory Of(int pid)
    {
        var fields = File.ReadLines($"/proc/{pid}/status")
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1]);
        long Bytes(string name) => fields.TryGetValue(name, out var value) ? Kilobytes(value) * 1024 : 0;
        return new ProcessMemory(Bytes("VmRSS"), Bytes("RssAnon"), Bytes("RssFile"), Bytes("RssShmem"), Bytes("VmHWM"));
    }

    public static void Header(TextWriter output, string what) =>
        output.WriteLine("  {0,-40} {1,10} {2,10} {3,10} {4,10} {5,10}", what, "VmRSS", "RssAnon", "RssFile", "RssShmem", "VmHWM");

    public void Print(TextWriter output, string what) =>
        output.WriteLine("  {0,-40} {1,10} {2,10} {3,10} {4,10} {5,10}", what, MiB(Rss), MiB(Anonymous), MiB(FileBacked), MiB(Shared), MiB(Peak));

    public static string MiB(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

    private static long Kilobytes(string value) =>
        long.Parse(value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
}
