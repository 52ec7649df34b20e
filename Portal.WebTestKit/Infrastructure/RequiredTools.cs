using System.Collections.Frozen;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// Finds the programs the network fixtures run and fails with the Debian package to install when one is
/// missing: these tests are never skipped, so a missing tool must be a clear, actionable failure.
/// </summary>
public static class RequiredTools
{
    private static readonly FrozenDictionary<string, string> DebianPackages = new Dictionary<string, string>
    {
        ["unshare"] = "util-linux",
        ["nsenter"] = "util-linux",
        ["setpriv"] = "util-linux",
        ["mount"] = "mount",
        ["ip"] = "iproute2",
        ["kill"] = "procps",
        ["dnsmasq"] = "dnsmasq-base",
        ["nginx"] = "nginx-light",
        ["mta-sts-query"] = "postfix-mta-sts-resolver",
        ["curl"] = "curl",
        ["openssl"] = "openssl",
        ["getent"] = "libc-bin",
        ["python3"] = "python3",
        ["node"] = "nodejs",
        ["chromium"] = "chromium",
        ["dotnet"] = "dotnet-sdk-10.0",
        ["postfix"] = "postfix",
        ["testssl"] = "testssl.sh",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The Debian package that provides a command, when known.</summary>
    public static string? DebianPackageFor(string command) =>
        DebianPackages.GetValueOrDefault(Path.GetFileName(command));

    /// <summary>The full path of a command found on PATH (or the path itself when it is absolute and exists).</summary>
    public static string Require(string command)
    {
        var found = Find(command);
        if (found is not null)
        {
            return found;
        }

        var package = DebianPackageFor(command);
        var hint = package is null
            ? $"install the Debian package that provides '{command}'"
            : $"install it with: apt-get install -y {package}";
        throw new InvalidOperationException($"The test needs the program '{command}', which is not on PATH; {hint}.");
    }

    /// <summary>Fails unless the process runs as root, which network and mount namespaces need.</summary>
    public static void RequireRoot()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException(
                "The test makes a private network and mount namespace (unshare -mn), which needs root; " +
                "run the tests as root (for example with sudo -E dotnet test).");
        }
    }

    private static string? Find(string command)
    {
        if (command.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(command) ? command : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        foreach (var folder in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, command);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
