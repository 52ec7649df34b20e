using System.Diagnostics;
using System.IO.Compression;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Aws;
using Portal.Core.Deployments;
using Portal.Infrastructure.Deployments;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Tests.Aws.Loopback;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Deployments;

/// <summary>With no AWS credentials the portal calls no AWS API, and every stack it offers for download deploys as it is.</summary>
public sealed class PlanOnlyModeTests
{
    [Fact]
    public async Task Without_credentials_no_AWS_call_is_made_and_the_downloaded_stacks_deploy_with_the_aws_cli()
    {
        await using var aws = await LoopbackAws.StartAsync(timings: new LifecycleTimings { ResourceStep = TimeSpan.FromMilliseconds(20) });
        aws.Route53.AddZone(TestSpecs.ZoneName, TestSpecs.ZoneId);
        var data = Directory.CreateTempSubdirectory("portal-planonly-").FullName;
        await using var portal = new PortalFactory(PortalAwsSettings.For(aws, data, withCredentials: false));
        var access = await portal.Services.GetRequiredService<AwsAccess>().GetStatusAsync();
        Assert.Equal(AwsAccessMode.PlanOnly, access.Mode);
        Assert.StartsWith("Plan-only mode", access.Explanation, StringComparison.Ordinal);

        var requests = portal.Services.GetRequiredService<RequestService>();
        // With a deploy role, so the testing site stack needs CAPABILITY_IAM acknowledged, as AWS requires.
        var spec = TestSpecs.Site() with { Csp = "default-src 'self'; img-src 'self' data: https://cdn.example.com", DeployRole = new("acme/docs-site", "main") };
        var created = await requests.CreateAsync(spec, TestActors.Alice, submit: true);
        Assert.True(created.Succeeded, created.Message);
        await Task.Delay(1500);
        Assert.Equal(RequestState.Submitted, (await requests.GetAsync(created.RequestId))!.State);
        Assert.Equal(0, aws.RequestCount);

        var source = portal.Services.GetRequiredService<IDeploymentStackSource>();
        var request = (await requests.GetAsync(created.RequestId))!;
        var rendered = source.Render(request, request.CurrentRevision, DeploymentEnvironment.Testing);
        Assert.True(rendered.IsSuccess);
        // Downloads are for signed-in people like every other page.
        using var http = Portal.Tests.Identity.Sessions.ClientFor(portal, Portal.Tests.Identity.Persona.Requester);
        var folder = Directory.CreateTempSubdirectory("portal-downloads-").FullName;
        var downloads = new List<(RenderedStack Stack, string Script)>();
        foreach (var (stack, url) in new[] { (source.Shared(), "/stacks/shared.zip") }
            .Concat(rendered.Stacks.Select(s => (s, $"/requests/{created.RequestId}/stacks/testing/{s.StackName}.zip"))))
        {
            using var response = await http.GetAsync(url);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
            await using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync());
            // A stack that imports from a headers stack carries it, and its script deploys it first.
            var imported = rendered.HeadersStacks.Where(h => h.StackName == stack.Parameter("HeadersStackName")).ToList();
            Assert.Equal(
                imported.Append(stack).SelectMany(one => new[] { StackDownloads.ScriptFile, StackDownloads.ParametersFile, StackDownloads.TagsFile, StackDownloads.TemplateFile }.Select(f => $"{one.StackName}/{f}")).Order(StringComparer.Ordinal),
                zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
            await zip.ExtractToDirectoryAsync(folder, overwriteFiles: true);
            var dir = Path.Combine(folder, stack.StackName);
            Assert.Equal(stack.TemplateBody, await File.ReadAllTextAsync(Path.Combine(dir, StackDownloads.TemplateFile)));
            Assert.Equal(stack.ParametersJson(), await File.ReadAllTextAsync(Path.Combine(dir, StackDownloads.ParametersFile)));
            var script = await File.ReadAllTextAsync(Path.Combine(dir, StackDownloads.ScriptFile));
            Assert.Contains(StackDownloads.DeployCommand(stack), script, StringComparison.Ordinal);
            Assert.All(imported, h => Assert.Contains($"'../{h.StackName}/deploy.sh'", script, StringComparison.Ordinal));
            downloads.Add((stack, Path.Combine(dir, StackDownloads.ScriptFile)));
        }

        // Each script, run as a person would with the real aws CLI (only the endpoint added), deploys its stack: the
        // shared stack first, since the others log to its bucket, then the others side by side only to keep the test
        // short (the CLI waits tens of seconds between its checks).
        var endpoint = aws.ServiceUrl.ToString().TrimEnd('/');
        var runs = new List<(int Exit, string Output)> { await RunAsync("sh", downloads[0].Script, "--endpoint-url", endpoint) };
        runs.AddRange(await Task.WhenAll(downloads.Skip(1).Select(d => RunAsync("sh", d.Script, "--endpoint-url", endpoint))));
        for (var i = 0; i < downloads.Count; i++)
        {
            var stack = downloads[i].Stack;
            Assert.True(runs[i].Exit == 0, $"deploy.sh of {stack.StackName} exited {runs[i].Exit}: {runs[i].Output}");
            Assert.Equal("CREATE_COMPLETE", aws.CloudFormation.StatusOf(stack.Region, stack.StackName));
        }

        var site = rendered.Stacks.Single(s => s.Kind == StackKind.Site);
        Assert.Equal([StackCapabilities.Iam], site.Capabilities);
        Assert.Contains("--capabilities 'CAPABILITY_IAM'", await File.ReadAllTextAsync(downloads.Single(d => d.Stack == site).Script), StringComparison.Ordinal);
        Assert.All(rendered.HeadersStacks, h => Assert.Equal("CREATE_COMPLETE", aws.CloudFormation.StatusOf(h.Region, h.StackName)));
        var siteHeaders = rendered.HeadersStacks.Single(h => h.StackName == site.Parameter("HeadersStackName"));
        Assert.Contains(siteHeaders.Parameters, p => p.ParameterValue.Contains("'self'", StringComparison.Ordinal));
        Assert.Empty(aws.Violations);
    }

    private static async Task<(int Exit, string Output)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["AWS_ACCESS_KEY_ID"] = LoopbackAws.AccessKey;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = LoopbackAws.SecretKey;
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_PAGER"] = "";
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("The aws CLI is needed for this test (it is on the project's machines: `aws --version`).", ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout + await stderr);
        }
    }
}
