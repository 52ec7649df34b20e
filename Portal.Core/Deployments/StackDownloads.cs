using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Portal.Core.Templates;

namespace Portal.Core.Deployments;

/// <summary>A file to hand to a person: its name and bytes.</summary>
public sealed record StackDownload(string FileName, string ContentType, byte[] Content);

/// <summary>
/// A rendered stack as a zip a person can deploy by hand (plan-only mode, or a reviewer trying it): the template,
/// its parameters and tags, and <c>deploy.sh</c> with the exact <c>aws cloudformation deploy</c> command.
/// </summary>
public static class StackDownloads
{
    public const string TemplateFile = "template.json";
    public const string ParametersFile = "parameters.json";
    public const string TagsFile = "tags.json";
    public const string ScriptFile = "deploy.sh";

    /// <param name="first">Stacks this one imports from (its headers stack): each gets a folder of its own beside the
    /// stack's, and the stack's <c>deploy.sh</c> runs theirs first (one with no changes is left as it is).</param>
    /// <param name="roleArn">The CloudFormation service role the portal deploys with, written into deploy.sh; null leaves it to the person.</param>
    public static StackDownload Create(RenderedStack stack, IReadOnlyList<RenderedStack>? first = null, string? roleArn = null)
    {
        ArgumentNullException.ThrowIfNull(stack);
        first ??= [];
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var one in first.Append(stack))
            {
                Add(zip, $"{one.StackName}/{TemplateFile}", one.TemplateBody, executable: false);
                Add(zip, $"{one.StackName}/{ParametersFile}", one.ParametersJson(), executable: false);
                Add(zip, $"{one.StackName}/{TagsFile}", JsonSerializer.Serialize(one.Tags, TemplateJson.FileOptions) + "\n", executable: false);
                Add(zip, $"{one.StackName}/{ScriptFile}", Script(one, one == stack ? first : [], roleArn), executable: true);
            }
        }

        return new StackDownload(stack.StackName + ".zip", "application/zip", buffer.ToArray());
    }

    /// <summary>The command that deploys the stack from the folder the zip unpacks to, every value quoted for a POSIX shell.</summary>
    public static string DeployCommand(RenderedStack stack, string templateFile = TemplateFile, string? roleArn = null)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var command = new StringBuilder("aws cloudformation deploy")
            .Append(" --stack-name ").Append(Quote(stack.StackName))
            .Append(" --region ").Append(Quote(stack.Region))
            .Append(" --template-file ").Append(Quote(templateFile))
            .Append(" --no-fail-on-empty-changeset");
        if (!string.IsNullOrEmpty(roleArn))
        {
            command.Append(" --role-arn ").Append(Quote(roleArn));
        }

        if (stack.Parameters.Count > 0)
        {
            command.Append(" --parameter-overrides");
            foreach (var p in stack.Parameters)
            {
                command.Append(' ').Append(Quote($"{p.ParameterKey}={p.ParameterValue}"));
            }
        }

        if (stack.Capabilities.Count > 0)
        {
            command.Append(" --capabilities");
            foreach (var capability in stack.Capabilities)
            {
                command.Append(' ').Append(Quote(capability));
            }
        }

        if (stack.Tags.Count > 0)
        {
            command.Append(" --tags");
            foreach (var t in stack.Tags)
            {
                command.Append(' ').Append(Quote($"{t.Key}={t.Value}"));
            }
        }

        return command.ToString();
    }

    private static string Script(RenderedStack stack, IReadOnlyList<RenderedStack> first, string? roleArn) =>
        "#!/bin/sh\n" +
        $"# Deploys the stack {stack.StackName} as the portal would (change set, execute, wait). Run it from this folder\n" +
        "# with AWS credentials for the target account, e.g. AWS_PROFILE=... ./deploy.sh\n" +
        (string.IsNullOrEmpty(roleArn)
            ? "# To deploy with the bootstrap stack's CloudFormation service role: ./deploy.sh --role-arn <CloudFormationRoleArn>\n"
            : "# CloudFormation acts with the service role after --role-arn (the bootstrap stack's CloudFormationRoleArn).\n") +
        "set -eu\n" +
        "cd \"$(dirname \"$0\")\"\n" +
        (first.Count == 0 ? "" : "# First the stacks whose exports this one imports.\n") +
        string.Concat(first.Select(f => $"{Quote("../" + f.StackName + "/" + ScriptFile)} \"$@\"\n")) +
        DeployCommand(stack, TemplateFile, roleArn) + " \"$@\"\n";

    /// <summary>Single quotes keep every character literal in a POSIX shell; a quote inside is closed, escaped and reopened.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    private static void Add(ZipArchive zip, string name, string content, bool executable)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        if (executable)
        {
            entry.ExternalAttributes = Convert.ToInt32("100755", 8) << 16;
        }

        using var writer = new StreamWriter(entry.Open(), new UTF8Encoding(false));
        writer.Write(content);
    }
}
