namespace Portal.Tests.Infrastructure;

/// <summary>What a finished command returned.</summary>
public sealed record ProcessResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Throws with the command's output when it failed, so a failing test shows why.</summary>
    public ProcessResult EnsureSuccess()
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{Command}' exited with {ExitCode}.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
        }

        return this;
    }
}
