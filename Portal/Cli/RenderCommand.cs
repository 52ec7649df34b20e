using System.CommandLine;
using System.Text.Json;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Templates;

namespace Portal.Cli;

/// <summary>
/// <c>render --request FILE.json [--environment testing|production] --out DIR [--settings FILE.json]
/// [--request-id GUID] [--revision N] [--requester NAME]</c>: writes <c>&lt;stack&gt;.template.json</c> and
/// <c>&lt;stack&gt;.parameters.json</c> for each stack of the request and prints the stack names, one per line.
/// Bad input exits with 2 and a message naming the field.
/// </summary>
public static class RenderCommand
{
    public const int Ok = 0;
    public const int BadInput = 2;

    public const string Usage =
        "usage: render --request FILE.json [--environment testing|production] --out DIR [--settings FILE.json]\n" +
        "              [--request-id GUID] [--revision N] [--requester NAME]\n" +
        "  --settings  JSON with the Stacks settings (contentBucketName, logBucketName, sharedRegion, stackNamePrefix, ...);\n" +
        "              without it, example bucket names are used.\n" +
        "  --shared    render the account's shared stack instead of a request (no --request).";

    private static readonly JsonSerializerOptions SettingsOptions = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        return PortalCli.RunAsync(["render", .. args], stdout, stderr);
    }

    internal static PortalVerb Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("render", "Write each stack's template and parameters for a request (or the shared stack) and print the stack names.");
        var values = new Dictionary<string, Option<string?>>(StringComparer.Ordinal);
        foreach (var (name, description, helpName) in ValueOptions)
        {
            var option = new Option<string?>("--" + name) { Description = description, HelpName = helpName };
            values[name] = option;
            command.Options.Add(option);
        }

        var shared = new Option<bool>("--shared") { Description = "Render the account's shared stack instead of a request (no --request)" };
        command.Options.Add(shared);
        command.SetAction((parse, ct) =>
        {
            // The options given, by name, as the rest of this command reads them.
            var options = values.Where(v => parse.GetValue(v.Value) is not null).ToDictionary(v => v.Key, v => parse.GetValue(v.Value)!, StringComparer.Ordinal);
            if (parse.GetValue(shared))
            {
                options["shared"] = "";
            }

            return RunAsync(options, stdout, stderr);
        });
        return new PortalVerb(command, BadInput, (_, problem) => $"error: {problem}\n{Usage}");
    }

    private static async Task<int> RunAsync(Dictionary<string, string> options, TextWriter stdout, TextWriter stderr)
    {
        if (!options.TryGetValue("out", out var outDir))
        {
            await stderr.WriteLineAsync($"error: --out is required.\n{Usage}");
            return BadInput;
        }

        var settings = await LoadSettingsAsync(options.GetValueOrDefault("settings"), stderr);
        if (settings is null)
        {
            return BadInput;
        }

        var renderer = new StackRenderer(TemplateLibrary.LoadEmbedded(), settings);
        IReadOnlyList<RenderedStack> stacks;
        if (options.ContainsKey("shared"))
        {
            stacks = [renderer.RenderShared()];
        }
        else
        {
            var rendered = await RenderRequestAsync(renderer, options, stderr);
            if (rendered is null)
            {
                return BadInput;
            }

            stacks = rendered;
        }

        try
        {
            Directory.CreateDirectory(outDir);
            foreach (var stack in stacks)
            {
                await File.WriteAllTextAsync(Path.Combine(outDir, stack.StackName + ".template.json"), stack.TemplateBody);
                await File.WriteAllTextAsync(Path.Combine(outDir, stack.StackName + ".parameters.json"), stack.ParametersJson());
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"error: --out: cannot write to '{outDir}': {ex.Message}");
            return BadInput;
        }

        foreach (var stack in stacks)
        {
            await stdout.WriteLineAsync(stack.StackName);
        }

        return Ok;
    }

    private static async Task<IReadOnlyList<RenderedStack>?> RenderRequestAsync(StackRenderer renderer, Dictionary<string, string> options, TextWriter stderr)
    {
        if (!options.TryGetValue("request", out var requestFile))
        {
            await stderr.WriteLineAsync($"error: --request is required.\n{Usage}");
            return null;
        }

        var environment = DeploymentEnvironment.Testing;
        if (options.TryGetValue("environment", out var environmentText))
        {
            switch (environmentText)
            {
                case "testing":
                    break;
                case "production":
                    environment = DeploymentEnvironment.Production;
                    break;
                default:
                    await stderr.WriteLineAsync($"error: --environment must be testing or production, not '{environmentText}'.");
                    return null;
            }
        }

        var requestId = Guid.Empty;
        if (options.TryGetValue("request-id", out var idText) && !Guid.TryParse(idText, out requestId))
        {
            await stderr.WriteLineAsync($"error: --request-id must be a GUID, not '{idText}'.");
            return null;
        }

        var revision = 1;
        if (options.TryGetValue("revision", out var revisionText) && (!int.TryParse(revisionText, out revision) || revision < 1))
        {
            await stderr.WriteLineAsync($"error: --revision must be a positive whole number, not '{revisionText}'.");
            return null;
        }

        string json;
        try
        {
            json = await File.ReadAllTextAsync(requestFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"error: --request: cannot read '{requestFile}': {ex.Message}");
            return null;
        }

        var parsed = RequestSpecJson.Parse(json);
        if (!parsed.IsSuccess)
        {
            await stderr.WriteLineAsync($"error: {requestFile}: {parsed.Field}: {parsed.Error}");
            return null;
        }

        var request = new RenderRequest(requestId, revision, options.GetValueOrDefault("requester") ?? "cli", parsed.Spec!);
        var result = renderer.Render(request, environment);
        if (!result.IsSuccess)
        {
            foreach (var error in result.Errors)
            {
                await stderr.WriteLineAsync($"error: {requestFile}: {error.Field}: {error.Message}");
            }

            return null;
        }

        // The headers stacks first: the others import their exports, so a person deploys them in this order.
        return [.. result.HeadersStacks, .. result.Stacks];
    }

    private static async Task<PortalStackSettings?> LoadSettingsAsync(string? file, TextWriter stderr)
    {
        if (file is null)
        {
            await stderr.WriteLineAsync(
                $"note: no --settings given; using the example buckets '{PortalStackSettings.Example.ContentBucketName}' and '{PortalStackSettings.Example.LogBucketName}'.");
            return PortalStackSettings.Example;
        }

        PortalStackSettings? settings;
        try
        {
            settings = JsonSerializer.Deserialize<PortalStackSettings>(await File.ReadAllTextAsync(file), SettingsOptions);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"error: --settings: cannot read '{file}': {ex.Message}");
            return null;
        }
        catch (JsonException ex)
        {
            await stderr.WriteLineAsync($"error: {file}: {(string.IsNullOrEmpty(ex.Path) ? "$" : ex.Path)}: not valid settings JSON.");
            return null;
        }

        if (settings is null)
        {
            await stderr.WriteLineAsync($"error: {file}: $: the settings are empty.");
            return null;
        }

        var errors = settings.Validate();
        foreach (var error in errors)
        {
            await stderr.WriteLineAsync($"error: {file}: {error.Field}: {error.Message}");
        }

        return errors.Count == 0 ? settings : null;
    }

    private static readonly (string Name, string Description, string HelpName)[] ValueOptions =
    [
        ("request", "The request as JSON (the shape the API and portal-cli take)", "FILE.json"),
        ("environment", "testing (default) or production", "testing|production"),
        ("out", "The folder to write the files to (required)", "DIR"),
        ("settings", "JSON with the Stacks settings (contentBucketName, logBucketName, sharedRegion, stackNamePrefix, ...); without it, example bucket names are used", "FILE.json"),
        ("request-id", "The request's id in the stacks' tags (default: all zeros)", "GUID"),
        ("revision", "The request's revision (default: 1)", "N"),
        ("requester", "Who asked, in the stacks' tags (default: cli)", "NAME"),
    ];
}
