using Portal.Core.Templates;

namespace Portal.Tests.Templates;

/// <summary>The template release names the template files: the same files give the same name, a changed file another.</summary>
public sealed class TemplateReleaseTests
{
    [Fact]
    public void The_same_templates_are_the_same_release_and_a_changed_template_is_a_new_one()
    {
        var embedded = TemplateLibrary.LoadEmbedded();
        var release = TemplateRelease.Of(embedded);
        Assert.Matches("^t-[0-9a-f]{12}$", release);
        Assert.Equal(release, TemplateRelease.Of(TemplateLibrary.FromYaml(embedded.Yaml)));

        var changed = TemplateLibrary.FromYaml(kind => kind == StackKind.Site ? embedded.Yaml(kind) + "\n# a comment\n" : embedded.Yaml(kind));
        Assert.NotEqual(release, TemplateRelease.Of(changed));
    }

    [Fact]
    public void Windows_line_endings_are_the_same_release()
    {
        var embedded = TemplateLibrary.LoadEmbedded();
        var crlf = TemplateLibrary.FromYaml(kind => embedded.Yaml(kind).Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal));
        Assert.Equal(TemplateRelease.Of(embedded), TemplateRelease.Of(crlf));
    }
}
