using System.Text.Json.Nodes;
using Portal.Cli;

namespace Portal.Tests.Templates;

/// <summary>
/// <c>render</c> writes a template and a parameters file per stack and prints the stack names; a bad request file
/// exits with 2 and a message that names the field.
/// </summary>
public sealed class RenderCommandTests : IDisposable
{
    private const string SiteJson = """{"kind":"site","host":"docs.example.com","hostedZoneId":"Z0123456789ABC","hostedZoneName":"example.com","csp":"default-src 'self'","viewerProtocol":"redirect-to-https","redirectFrom":["www.docs.example.com"]}""";

    private readonly string _dir = Directory.CreateTempSubdirectory("render-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await RenderCommand.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task A_site_request_writes_template_and_parameters_per_stack_and_prints_their_names()
    {
        var request = Write("site.json", SiteJson);
        var outDir = Path.Combine(_dir, "out");

        var (exit, stdout, _) = await Run("--request", request, "--environment", "production", "--out", outDir);

        Assert.Equal(0, exit);
        var printed = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] names = ["portal-site-production-docs-example-com", "portal-redirect-production-www-docs-example-com"];
        Assert.Equal(names, printed.Where(n => !n.StartsWith("portal-headers-", StringComparison.Ordinal)));
        Assert.All(printed.TakeWhile(n => n.StartsWith("portal-headers-", StringComparison.Ordinal)), n => Assert.True(File.Exists(Path.Combine(outDir, n + ".template.json"))));
        Assert.Equal(2, printed.Count(n => n.StartsWith("portal-headers-", StringComparison.Ordinal)));
        foreach (var name in names)
        {
            var template = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, name + ".template.json")))!;
            Assert.Equal("2010-09-09", template["AWSTemplateFormatVersion"]!.GetValue<string>());
            var parameters = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, name + ".parameters.json")))!.AsArray();
            Assert.All(parameters, p => Assert.Equal(["ParameterKey", "ParameterValue"], p!.AsObject().Select(x => x.Key)));
        }

        var siteParameters = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, names[0] + ".parameters.json")))!.AsArray();
        Assert.Contains(siteParameters, p => p!["ParameterKey"]!.GetValue<string>() == "Environment" && p["ParameterValue"]!.GetValue<string>() == "production");
        var headersStack = siteParameters.Single(p => p!["ParameterKey"]!.GetValue<string>() == "HeadersStackName")!["ParameterValue"]!.GetValue<string>();
        var headersParameters = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, headersStack + ".parameters.json")))!.AsArray();
        Assert.Contains(headersParameters, p => p!["ParameterKey"]!.GetValue<string>() == "ContentSecurityPolicy" && p["ParameterValue"]!.GetValue<string>() == "default-src 'self'");
    }

    [Fact]
    public async Task The_environment_defaults_to_testing_and_settings_come_from_a_file()
    {
        var request = Write("site.json", SiteJson);
        var settings = Write("settings.json", """{"stackNamePrefix":"web","contentBucketName":"acme-content","logBucketName":"acme-logs","sharedRegion":"eu-west-1"}""");

        var (exit, stdout, _) = await Run("--request", request, "--settings", settings, "--out", Path.Combine(_dir, "out"));

        Assert.Equal(0, exit);
        Assert.StartsWith("web-site-testing-docs-example-com\n", string.Concat(stdout.Replace("\r", "", StringComparison.Ordinal).Split('\n').Where(n => !n.StartsWith("web-headers-", StringComparison.Ordinal)).Select(n => n + "\n")), StringComparison.Ordinal);
        var parameters = File.ReadAllText(Path.Combine(_dir, "out", "web-site-testing-docs-example-com.parameters.json"));
        Assert.Contains("acme-logs", parameters, StringComparison.Ordinal);
        // The site reads its own bucket, made by its stack, not the shared one.
        Assert.DoesNotContain("acme-content", parameters, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"kind":"site","host":"Docs.Example.com","hostedZoneId":"Z0123456789ABC","hostedZoneName":"example.com"}""", "host")]
    [InlineData("""{"kind":"site","host":"docs.example.com","hostedZoneId":"not-a-zone","hostedZoneName":"example.com"}""", "hostedZoneId")]
    [InlineData("""{"kind":"site","host":"docs.example.com","hostedZoneId":"Z0123456789ABC","hostedZoneName":"example.com","redirectFrom":["www.other.org"]}""", "redirectFrom[0]")]
    [InlineData("""{"kind":"site","host":"docs.example.com","hostedZoneId":"Z0123456789ABC","hostedZoneName":"example.com","viewerProtocol":"sometimes"}""", "viewerProtocol")]
    [InlineData("""{"kind":"website","host":"docs.example.com"}""", "kind")]
    [InlineData("""{"kind":"site","host":"docs.example.com","colour":"blue"}""", "colour")]
    [InlineData("""{"kind":"site","host":""", "$")]
    public async Task A_bad_request_file_exits_2_naming_the_field(string json, string field)
    {
        var request = Write("bad.json", json);

        var (exit, stdout, stderr) = await Run("--request", request, "--out", Path.Combine(_dir, "out"));

        Assert.Equal(RenderCommand.BadInput, exit);
        Assert.Equal("", stdout);
        Assert.Contains($": {field}", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")) && Directory.EnumerateFiles(Path.Combine(_dir, "out")).Any());
    }

    [Theory]
    [InlineData(new[] { "--request", "missing.json", "--out", "x" }, "--request")]
    [InlineData(new[] { "--request", "r.json" }, "--out is required")]
    [InlineData(new[] { "--request", "r.json", "--environment", "staging", "--out", "x" }, "--environment")]
    [InlineData(new[] { "--bogus", "--out", "x" }, "unknown argument")]
    [InlineData(new[] { "--request", "r.json", "--revision", "0", "--out", "x" }, "--revision")]
    public async Task Bad_arguments_exit_2_with_a_message(string[] args, string expected)
    {
        Write("r.json", SiteJson);
        var withPaths = args.Select(a => a.EndsWith(".json", StringComparison.Ordinal) ? Path.Combine(_dir, a) : a).ToArray();

        var (exit, _, stderr) = await Run(withPaths);

        Assert.Equal(RenderCommand.BadInput, exit);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_settings_exit_2_naming_the_key()
    {
        var request = Write("site.json", SiteJson);
        var settings = Write("settings.json", """{"contentBucketName":"Bad_Bucket","logBucketName":"acme-logs"}""");

        var (exit, _, stderr) = await Run("--request", request, "--settings", settings, "--out", Path.Combine(_dir, "out"));

        Assert.Equal(RenderCommand.BadInput, exit);
        Assert.Contains("Stacks:ContentBucketName", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_shared_stack_renders_without_a_request()
    {
        var (exit, stdout, _) = await Run("--shared", "--out", Path.Combine(_dir, "out"));

        Assert.Equal(0, exit);
        Assert.Equal("portal-shared", stdout.Trim());
        Assert.True(File.Exists(Path.Combine(_dir, "out", "portal-shared.template.json")));
    }
}
