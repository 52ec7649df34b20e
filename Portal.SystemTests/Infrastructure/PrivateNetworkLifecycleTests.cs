using System.Net;

namespace Portal.Tests.Infrastructure;

/// <summary>Private networks are isolated from each other and from the world, and leave nothing behind.</summary>
public sealed class PrivateNetworkLifecycleTests
{
    [Fact]
    public async Task Dispose_stops_every_process_and_removes_the_folder_link_and_route()
    {
        var network = await PrivateNetwork.CreateAsync();
        var address = await network.AllocateAddressAsync();
        await network.StartDnsAsync(new DnsZone().A("site.lifecycle.test", address));
        await network.StartWebAsync(new WebSite("site.lifecycle.test", address).File("/", "up"));
        var link = $"pnet231-{network.Block}";
        var init = network.NamespacePid;
        var folder = network.Directory;
        var netNamespace = ReadLinkOrEmpty($"/proc/{init}/ns/net");
        Assert.True(LinkExists(link));
        Assert.True(Directory.Exists(folder));
        Assert.True(ProcessesIn(netNamespace).Count >= 3, "init, dnsmasq and nginx run in the namespace");

        await network.DisposeAsync();

        Assert.False(Directory.Exists(folder));
        Assert.False(Directory.Exists($"/proc/{init}"));
        Assert.False(LinkExists(link));
        var routes = await CommandRunner.RunAsync("ip", ["-4", "route", "show", $"10.231.{network.Block}.0/24"], TimeSpan.FromSeconds(5));
        Assert.Equal("", routes.StandardOutput.Trim());
        Assert.Empty(ProcessesIn(netNamespace));
    }

    [Fact]
    public async Task Death_of_the_namespace_init_takes_its_servers_and_link_down()
    {
        await using var network = await PrivateNetwork.CreateAsync();
        var address = await network.AllocateAddressAsync();
        await network.StartWebAsync(new WebSite("crash.lifecycle.test", address).File("/", "up"));
        var link = $"pnet231-{network.Block}";
        var nginxPids = ProcessesIn(ReadLinkOrEmpty($"/proc/{network.NamespacePid}/ns/net"))
            .Where(pid => ReadOrEmpty($"/proc/{pid}/cmdline").StartsWith("nginx", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(nginxPids);

        // What happens when the test process is killed: the init's stdin closes. Killing it outright has the same effect.
        await CommandRunner.RunAsync("kill", ["-KILL", network.NamespacePid.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5));
        await WaitUntilAsync(() => nginxPids.All(pid => !Directory.Exists($"/proc/{pid}")) && !LinkExists(link));

        Assert.All(nginxPids, pid => Assert.False(Directory.Exists($"/proc/{pid}")));
        Assert.False(LinkExists(link));
    }

    [Fact]
    public async Task Networks_get_separate_blocks_and_cannot_reach_each_other_or_the_outside()
    {
        await using var first = await PrivateNetwork.CreateAsync();
        await using var second = await PrivateNetwork.CreateAsync();
        await second.StartDnsAsync(new DnsZone().A("only-second.lifecycle.test", IPAddress.Parse($"10.231.{second.Block}.9")));

        var fromSecond = await second.RunAsync("getent", ["ahostsv4", "only-second.lifecycle.test"]);
        var fromFirst = await first.RunAsync("getent", ["ahostsv4", "only-second.lifecycle.test"]);
        var firstToSecond = await first.RunAsync("ip", ["-4", "route", "get", second.DnsEndPoint.Address.ToString()]);
        var firstToWorld = await first.RunAsync("ip", ["-4", "route", "get", "198.51.100.1"]);

        Assert.NotEqual(first.Block, second.Block);
        Assert.Equal(0, fromSecond.ExitCode);
        Assert.NotEqual(0, fromFirst.ExitCode);
        Assert.Contains("unreachable", firstToSecond.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("unreachable", firstToWorld.StandardError, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Command_past_its_timeout_is_killed_and_reported()
    {
        await using var network = await PrivateNetwork.CreateAsync();

        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            network.RunAsync("sh", ["-c", "echo started; sleep 30"], timeout: TimeSpan.FromSeconds(1)));
        var running = await network.RunAsync("sh", ["-c", "cat /proc/[0-9]*/comm"]);

        Assert.Contains("started", error.Message, StringComparison.Ordinal);
        Assert.Contains("cat", running.StandardOutput.Split('\n'));
        Assert.DoesNotContain("sleep", running.StandardOutput.Split('\n'));
    }

    [Fact]
    public async Task Background_processes_of_a_command_end_with_it()
    {
        await using var network = await PrivateNetwork.CreateAsync();

        var started = await network.RunAsync("sh", ["-c", "sleep 30 & echo $!"], timeout: TimeSpan.FromSeconds(10));
        var running = await network.RunAsync("sh", ["-c", "cat /proc/[0-9]*/comm"]);

        Assert.Equal(0, started.ExitCode);
        Assert.DoesNotContain("sleep", running.StandardOutput.Split('\n'));
    }

    [Fact]
    public async Task Commands_see_the_given_environment_and_the_test_ca()
    {
        await using var network = await PrivateNetwork.CreateAsync();

        var result = await network.RunAsync("sh", ["-c", "echo \"$GREETING|$SSL_CERT_FILE\"; cat /etc/ssl/certs/ca-certificates.crt"],
            new Dictionary<string, string?> { ["GREETING"] = "hello" });

        var lines = result.EnsureSuccess().StandardOutput.Split('\n');
        Assert.Equal($"hello|{network.CertificateAuthority.PemPath}", lines[0]);
        Assert.Equal(await File.ReadAllTextAsync(network.CertificateAuthority.PemPath), string.Join('\n', lines[1..]));
    }

    [Fact]
    public async Task Missing_program_fails_with_the_package_to_install()
    {
        await using var network = await PrivateNetwork.CreateAsync();

        var unknown = await Assert.ThrowsAsync<InvalidOperationException>(() => network.RunAsync("no-such-program-here", []));
        var known = Assert.Throws<InvalidOperationException>(() => RequiredTools.Require("/nonexistent/bin/dnsmasq"));

        Assert.Contains("install the Debian package that provides 'no-such-program-here'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install -y dnsmasq-base", known.Message, StringComparison.Ordinal);
    }

    private static List<string> ProcessesIn(string netNamespace) =>
        [.. Directory.GetDirectories("/proc")
            .Select(p => Path.GetFileName(p))
            .Where(name => int.TryParse(name, out _) && ReadLinkOrEmpty($"/proc/{name}/ns/net") == netNamespace)];

    private static bool LinkExists(string link) => Directory.Exists($"/sys/class/net/{link}");

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(20);
        }
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path).Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static string ReadLinkOrEmpty(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget ?? "";
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
