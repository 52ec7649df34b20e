using System.Runtime.InteropServices;

namespace Portal.Observability;

/// <summary>
/// The C library's heap. Memory that native code frees (SQLite's page caches, TLS buffers, the runtime's own
/// allocations) stays in glibc's arenas for reuse and keeps counting as the process's resident memory; malloc_trim
/// hands the free pages back to the system.
/// </summary>
internal static partial class NativeHeap
{
    /// <summary>Gives the C heap's free pages back; false where the C library has no malloc_trim (not glibc).</summary>
    public static bool Trim()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return MallocTrim(0) != 0;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            // musl (Alpine) has no malloc_trim.
            return false;
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
