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

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        var options = ParseOptions(args, out var optionError);
        if (optionError is not null)
        {
            await stderr.WriteLineAsync($"error: {optionError}\n{Usage}");
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

        var outDir = options["out"];
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

    private static readonly HashSet<string> ValueOptions = new(StringComparer.Ordinal)
    {
        "request", "environment", "out", "settings", "request-id", "revision", "requester",
    };

    private static Dictionary<string, string> ParseOptions(string[] args, out string? error)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var name = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : null;
            if (name == "shared")
            {
                options[name] = "";
                continue;
            }

            if (name is null || !ValueOptions.Contains(name))
            {
                error = $"unknown argument '{arg}'.";
                return options;
            }

            if (i + 1 >= args.Length)
            {
                error = $"--{name} needs a value.";
                return options;
            }

            if (!options.TryAdd(name, args[++i]))
            {
                error = $"--{name} is given twice.";
                return options;
            }
        }

        if (!options.ContainsKey("out"))
        {
            error = "--out is required.";
        }

        return options;
    }
}
