using System.Globalization;
using System.Runtime.InteropServices;
using Portal.Observability;

namespace Portal.Tests.Observability;

/// <summary>The idle trim hands memory that native code freed back to the system instead of keeping it in glibc's arenas.</summary>
public sealed class NativeHeapTrimTests
{
    private const int Block = 1024;
    private const int Blocks = 64 * 1024;

    [Fact]
    public void Freed_native_memory_stops_counting_as_resident_after_the_trim()
    {
        Assert.True(OperatingSystem.IsLinux(), "The portal's runtime image and this machine are Linux with glibc.");
        var filler = Enumerable.Repeat((byte)0x5a, Block).ToArray();
        var blocks = new IntPtr[Blocks];
        for (var i = 0; i < Blocks; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(Block);
            Marshal.Copy(filler, 0, blocks[i], Block);
        }

        // Free all but the last block: the heap's top stays in use, so glibc's own trimming on free cannot shrink it and
        // 64 MiB of free chunks stay resident in the arena.
        for (var i = 0; i < Blocks - 1; i++)
        {
            Marshal.FreeHGlobal(blocks[i]);
        }

        try
        {
            var before = ResidentAnonymousKiB();
            Assert.True(NativeHeap.Trim());
            var after = ResidentAnonymousKiB();

            Assert.True(before - after > 32 * 1024, $"Resident anonymous memory went from {before} KiB to {after} KiB.");
        }
        finally
        {
            Marshal.FreeHGlobal(blocks[^1]);
        }
    }

    private static long ResidentAnonymousKiB() =>
        long.Parse(
            File.ReadLines("/proc/self/status").Single(l => l.StartsWith("RssAnon:", StringComparison.Ordinal))
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
            CultureInfo.InvariantCulture);
}
