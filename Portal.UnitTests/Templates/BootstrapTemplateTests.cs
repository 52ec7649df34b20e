using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Portal.Core.Templates;

namespace Portal.Tests.Templates;

/// <summary>
/// bootstrap.yaml is built in as written, makes the two roles and the boundary with the outputs the portal is
/// configured from, and its parameters accept exactly the stack prefixes the portal's settings accept.
/// </summary>
public sealed class BootstrapTemplateTests
{
    private static readonly JsonObject Template = CloudFormationYaml.ToJson(TemplateLibrary.BootstrapYaml());

    [Fact]
    public void The_embedded_template_is_the_file_in_the_templates_folder() =>
        Assert.Equal(File.ReadAllText(Path.Combine(CloudFormationYamlTests.RepositoryRoot(), "templates", TemplateLibrary.BootstrapFileName)), TemplateLibrary.BootstrapYaml());

    [Fact]
    public void It_makes_the_portal_role_the_service_role_and_the_boundary_with_their_outputs()
    {
        Assert.Equal(
            new[] { ("SiteRoleBoundary", "AWS::IAM::ManagedPolicy"), ("CloudFormationServiceRole", "AWS::IAM::Role"), ("PortalRole", "AWS::IAM::Role") },
            Template["Resources"]!.AsObject().Select(r => (r.Key, r.Value!["Type"]!.GetValue<string>())));
        Assert.Equal(["PortalRoleArn", "CloudFormationRoleArn", "SiteRoleBoundaryArn", "ExternalIdHint"], Template["Outputs"]!.AsObject().Select(o => o.Key));
    }

    [Theory]
    [InlineData("portal")]
    [InlineData("acme-web-2")]
    [InlineData("a")]
    [InlineData("-portal")]
    [InlineData("portal--x")]
    [InlineData("portal-")]
    [InlineData("2portal")]
    [InlineData("portal_x")]
    public void The_prefix_parameter_accepts_what_the_portals_setting_accepts(string prefix)
    {
        var definition = Template["Parameters"]!["StackNamePrefix"]!;
        var pattern = definition["AllowedPattern"]!.GetValue<string>();
        var byTemplate = Regex.IsMatch(prefix, $"^(?:{pattern})$") && prefix.Length <= definition["MaxLength"]!.GetValue<long>();
        var bySettings = new PortalStackSettings { StackNamePrefix = prefix, ContentBucketName = "acme-content", LogBucketName = "acme-logs" }
            .Validate().All(e => !e.Field.EndsWith("StackNamePrefix", StringComparison.Ordinal));

        Assert.Equal(bySettings, byTemplate);
    }
}
