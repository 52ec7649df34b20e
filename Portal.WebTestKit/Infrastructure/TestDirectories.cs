namespace Portal.Tests.Infrastructure;

/// <summary>Cleanup of the folders tests create.</summary>
public static class TestDirectories
{
    /// <summary>
    /// Deletes a folder and what it holds, trying again briefly: a portal that has just stopped can still be finishing a
    /// file in it, and a recursive delete then finds the folder not empty.
    /// </summary>
    public static void Delete(string directory)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }

                return;
            }
            catch (IOException) when (attempt < 4)
            {
                Thread.Sleep(100 * (attempt + 1));
            }
        }
    }
}
