namespace Portal.Tests.Infrastructure;

/// <summary>A folder under the system temp folder, removed (with what is in it) when disposed.</summary>
public sealed class TemporaryFolder(string prefix) : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold its file for a moment on a busy machine; the OS cleans temp folders.
        }
    }
}
