using System.Reflection;
using System.Text.Json.Nodes;

namespace Portal.Core.Templates;

/// <summary>
/// The CloudFormation templates, read once from the YAML files in <c>templates/</c> (embedded in this assembly,
/// so a published portal carries exactly the templates it was built and tested with).
/// </summary>
public sealed class TemplateLibrary
{
    private readonly Dictionary<StackKind, string> _yaml;
    private readonly Dictionary<StackKind, JsonObject> _json;

    private TemplateLibrary(Dictionary<StackKind, string> yaml)
    {
        _yaml = yaml;
        _json = yaml.ToDictionary(pair => pair.Key, pair => ParseNamed(pair.Key, pair.Value));
    }

    public static IReadOnlyList<StackKind> Kinds { get; } = [StackKind.Shared, StackKind.Site, StackKind.Redirect, StackKind.MtaSts, StackKind.Headers];

    /// <summary>File name of a kind's template: <c>shared.yaml</c>, <c>site.yaml</c>, <c>redirect.yaml</c>, <c>mta-sts.yaml</c>, <c>headers.yaml</c>.</summary>
    public static string FileName(StackKind kind) => kind switch
    {
        StackKind.Shared => "shared.yaml",
        StackKind.Site => "site.yaml",
        StackKind.Redirect => "redirect.yaml",
        StackKind.MtaSts => "mta-sts.yaml",
        StackKind.Headers => "headers.yaml",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The templates built into Portal.Core.</summary>
    public static TemplateLibrary LoadEmbedded()
    {
        var assembly = typeof(TemplateLibrary).Assembly;
        return new TemplateLibrary(Kinds.ToDictionary(kind => kind, kind => ReadResource(assembly, "Portal.Core.Templates." + FileName(kind))));
    }

    /// <summary>File name of the account's bootstrap template, which an administrator deploys by hand, never the portal.</summary>
    public const string BootstrapFileName = "bootstrap.yaml";

    /// <summary>
    /// <c>bootstrap.yaml</c> as built in: the roles and permissions boundary the portal's stacks are deployed with, for
    /// the tests that check the portal's calls against them and for showing an administrator what to deploy.
    /// </summary>
    public static string BootstrapYaml() => ReadResource(typeof(TemplateLibrary).Assembly, "Portal.Core.Templates." + BootstrapFileName);

    /// <summary>Templates given as YAML text, one per kind (say, read from a folder to try out a changed template).</summary>
    public static TemplateLibrary FromYaml(Func<StackKind, string> yamlOf) =>
        new(Kinds.ToDictionary(kind => kind, yamlOf));

    /// <summary>The template as written, for a person deploying it by hand.</summary>
    public string Yaml(StackKind kind) => _yaml[kind];

    /// <summary>A fresh copy of the template in JSON form, free to change.</summary>
    public JsonObject Json(StackKind kind) => (JsonObject)_json[kind].DeepClone();

    private static JsonObject ParseNamed(StackKind kind, string yaml)
    {
        try
        {
            return CloudFormationYaml.ToJson(yaml);
        }
        catch (TemplateFormatException ex)
        {
            throw new TemplateFormatException($"{FileName(kind)}: {ex.Message}", ex);
        }
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new TemplateFormatException($"The template resource '{name}' is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
