using System.Diagnostics;
using System.Net;
using System.Text;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// A long-running server (dnsmasq, nginx) started inside the namespace through <c>nsenter</c>, with its output
/// kept for error messages. It runs in the foreground under <c>setpriv --pdeathsig TERM</c>, so it also stops
/// when its nsenter parent is killed.
/// </summary>
internal sealed class NamespaceDaemon : IAsyncDisposable
{
    private const int MaxKeptOutput = 64 * 1024;

    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly Lock outputLock = new();

    private NamespaceDaemon(string name, Process process)
    {
        Name = name;
        this.process = process;
    }

    public string Name { get; }

    public string Output
    {
        get
        {
            lock (outputLock)
            {
                return output.ToString();
            }
        }
    }

    public bool HasExited => process.HasExited;

    public static NamespaceDaemon Start(string name, string nsenter, IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo(nsenter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo };
        var daemon = new NamespaceDaemon(name, process);
        process.OutputDataReceived += (_, e) => daemon.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return daemon;
    }

    /// <summary>Waits until every endpoint is bound in the namespace of <paramref name="namespacePid"/>; fails fast if the server exits.</summary>
    public async Task WaitUntilListeningAsync(int namespacePid, IReadOnlyCollection<IPEndPoint> tcp, IReadOnlyCollection<IPEndPoint> udp, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!ListeningSockets.AllBound(namespacePid, tcp, udp))
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync();
                throw new InvalidOperationException($"{Name} exited with {process.ExitCode} while starting:\n{Output}");
            }

            if (stopwatch.Elapsed > timeout)
            {
                throw new TimeoutException(
                    $"{Name} did not listen on {string.Join(", ", tcp.Select(e => "tcp " + e).Concat(udp.Select(e => "udp " + e)))} " +
                    $"within {timeout.TotalSeconds} s:\n{Output}");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Asks the server to stop (SIGTERM) and waits for it; kills the whole tree if it lingers.</summary>
    public async Task StopAsync()
    {
        if (!process.HasExited)
        {
            foreach (var child in Children(process.Id))
            {
                await CommandRunner.RunAsync("kill", ["-TERM", child.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5));
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        process.Dispose();
    }

    private static IEnumerable<int> Children(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/task/{pid}/children");
        }
        catch (IOException)
        {
            return [];
        }

        return text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse);
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (outputLock)
        {
            if (output.Length < MaxKeptOutput)
            {
                output.Append(line).Append('\n');
            }
        }
    }
}
