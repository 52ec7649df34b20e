using Microsoft.Extensions.Options;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Web;

/// <summary>A bad setting stops the start with a message that names the key.</summary>
public sealed class ConfigurationValidationTests
{
    public static TheoryData<string, string, string> BadSettings() => new()
    {
        { "Database:Provider", "Oracle", "Database:Provider" },
        { "Approval:MaxAuthAge", "02:00:00:00", "Approval:MaxAuthAge must be between 00:01:00 and 12:00:00." },
        { "Approval:MaxAuthAge", "00:00:10", "Approval:MaxAuthAge must be between 00:01:00 and 12:00:00." },
        { "Database:DataDirectory", "", "Database:DataDirectory must not be empty." },
        { "Content:MaxFiles", "0", "Content:MaxFiles must be between 1 and 1000000; got 0." },
        { "Content:MaxUploadBytes", "100", "Content:MaxUploadBytes must be between 1024 and 5368709120 (5 GiB); got 100." },
        { "Content:StagingDirectory", "relative/folder", "Content:StagingDirectory must be an absolute path; got 'relative/folder'." },
        { "DataProtection:CertificateFile", "/nonexistent/keys.pfx", "DataProtection:CertificateFile names '/nonexistent/keys.pfx', which does not exist." },
        { "DataProtection:PreviousCertificateFiles:0", "/nonexistent/old.pfx", "DataProtection:PreviousCertificateFiles needs DataProtection:CertificateFile" },
        { "Content:MaxFileBytes", "6442450944", "Content:MaxFileBytes must be between 1 and 5368709120 (5 GiB, the most S3 writes or copies in one request); got 6442450944." },
        { "Health:ClaimLease", "00:00:01", "Health:ClaimLease must be between 00:00:10 and 1.00:00:00." },
        { "Health:ScanEvery", "00:00:00", "Health:ScanEvery must be between 00:00:01 and 01:00:00." },
        { "Health:AllowedNetworks:0", "10.0.0.0/33", "Health:AllowedNetworks: '10.0.0.0/33' has a prefix length that is not a number from 0 to 32." },
        { "Health:AllowedNetworks:0", "intranet", "Health:AllowedNetworks: 'intranet' is not a network in CIDR notation" },
        { "Health:MaxWatchedNamesPerPerson", "0", "Health:MaxWatchedNamesPerPerson must be between 1 and 100000." },
        { "Dns:Servers:0", "resolver.example", "Dns:Servers must list resolvers as IP or IP:PORT, e.g. 127.0.0.1:5353; got 'resolver.example'." },
        { "Deployments:ActivePollMin", "00:00:00", "Deployments:ActivePollMin must be positive and at most Deployments:ActivePollMax." },
        { "Memory:QuietBeforeTrim", "00:00:01", "Memory:QuietBeforeTrim must be between 00:00:05 and 1.00:00:00." },
        { "Memory:TrimWhenIdle", "sometimes", "Memory:TrimWhenIdle" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Bad_value_stops_the_start_naming_the_key(string key, string value, string expected)
    {
        await using var portal = new PortalFactory(new Dictionary<string, string?> { [key] = value });

        var error = Record.Exception(() => portal.CreateClient());

        Assert.NotNull(error);
        Assert.Contains(expected, Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postgres_without_a_connection_string_stops_the_start()
    {
        await using var portal = new PortalFactory(new Dictionary<string, string?> { ["Database:Provider"] = "Postgres" });

        var error = Assert.IsType<OptionsValidationException>(Unwrap(Record.Exception(() => portal.CreateClient())));

        Assert.Contains("Database:ConnectionString is required when Database:Provider is Postgres", error.Message, StringComparison.Ordinal);
    }

    private static Exception? Unwrap(Exception? error)
    {
        while (error is AggregateException or InvalidOperationException { InnerException: not null } && error.InnerException is not null && error is not OptionsValidationException)
        {
            error = error.InnerException;
        }

        return error;
    }

    private static string Flatten(Exception error)
    {
        var text = new System.Text.StringBuilder();
        for (var e = error; e is not null; e = e.InnerException)
        {
            text.AppendLine(e.Message);
        }

        return text.ToString();
    }
}
