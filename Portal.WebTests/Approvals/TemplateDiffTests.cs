using System.Text.Json.Nodes;
using Portal.Core.Approvals;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Templates;
using Portal.Tests.Infrastructure;
using Portal.Tests.Templates;

namespace Portal.Tests.Approvals;

/// <summary>What an approver sees production would change: resources added, changed, removed, replacements and the line diff.</summary>
public sealed class TemplateDiffTests
{
    private static readonly StackRenderer Renderer = new(TemplateLibrary.LoadEmbedded(), PortalStackSettings.Example);

    private static RenderedStack Production(SiteSpec spec) =>
        Renderer.Render(new RenderRequest(Guid.Empty, 1, "alice", spec), DeploymentEnvironment.Production).Stacks
            .Single(s => s.Kind == StackKind.Site);

    [Fact]
    public void The_replacement_rules_are_the_resource_schemas_create_only_properties()
    {
        foreach (var (type, properties) in TemplateDiff.CreateOnlyProperties)
        {
            var expected = ResourceSchemas.Shared.CreateOnlyProperties(type);
            Assert.NotNull(ResourceSchemas.Shared.Document(type));
            Assert.Equal(expected.Order(StringComparer.Ordinal), properties.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void A_new_stack_adds_every_resource()
    {
        var stack = Production(TestSpecs.Site());

        var diff = TemplateDiff.Compare(null, stack.TemplateBody);

        // Without a deploy role: the content bucket and its policy, the certificate, the distribution and its two alias
        // records (the response headers policy and the origin access control live in the headers stack).
        Assert.Equal(["AliasRecordIPv4", "AliasRecordIPv6", "Certificate", "ContentBucket", "ContentBucketPolicy", "Distribution"], diff.Resources.Where(r => r.Kind == ResourceChangeKind.Add).Select(r => r.LogicalId).Order(StringComparer.Ordinal));
        Assert.Equal((0, 0), (diff.Modified, diff.Removed));
        Assert.All(diff.Lines, l => Assert.Equal('+', l.Op));
    }

    [Fact]
    public void A_resource_whose_condition_is_false_is_not_shown_as_added()
    {
        var site = TestSpecs.Site() with { DeployRole = new("acme/docs-site", "main") };
        var production = Production(site);
        var testing = Renderer.Render(new RenderRequest(Guid.Empty, 1, "alice", site), DeploymentEnvironment.Testing).Stacks.Single(s => s.Kind == StackKind.Site);

        var inProduction = TemplateDiff.Compare(null, production.TemplateBody, null, production.ParametersJson());
        var inTesting = TemplateDiff.Compare(null, testing.TemplateBody, null, testing.ParametersJson());

        Assert.DoesNotContain(inProduction.Resources, r => r.Type == "AWS::IAM::Role");
        Assert.Contains(inTesting.Resources, r => r.LogicalId == "DeployRole" && r.Kind == ResourceChangeKind.Add);
    }

    [Fact]
    public void The_same_render_changes_nothing()
    {
        var stack = Production(TestSpecs.Site());

        var diff = TemplateDiff.Compare(stack.TemplateBody, stack.TemplateBody, stack.ParametersJson(), stack.ParametersJson());

        Assert.Empty(diff.Resources);
        Assert.False(diff.ParametersChanged);
        Assert.All(diff.Lines, l => Assert.Equal(' ', l.Op));
    }

    [Fact]
    public void Renaming_the_certificate_is_shown_as_a_replacement()
    {
        var live = JsonNode.Parse(Production(TestSpecs.Site()).TemplateBody)!;
        var certificate = live["Resources"]!.AsObject().First(r => r.Value!["Type"]!.GetValue<string>() == "AWS::CertificateManager::Certificate");
        certificate.Value!["Properties"]!["DomainName"] = "old.example.com";

        var diff = TemplateDiff.Compare(live.ToJsonString(), Production(TestSpecs.Site()).TemplateBody);

        var change = Assert.Single(diff.Resources);
        Assert.Equal((certificate.Key, ResourceChangeKind.Modify), (change.LogicalId, change.Kind));
        Assert.Equal(["DomainName"], change.Replacement);
        Assert.True(diff.HasReplacements);
        Assert.Contains(diff.Lines, l => l.Op == '-' && l.Text.Contains("old.example.com", StringComparison.Ordinal));
    }

    [Fact]
    public void Turning_off_hsts_preload_changes_without_replacing()
    {
        var before = Production(TestSpecs.Site() with { HstsPreload = true });
        var after = Production(TestSpecs.Site() with { HstsPreload = false });

        var diff = TemplateDiff.Compare(before.TemplateBody, after.TemplateBody, before.ParametersJson(), after.ParametersJson());

        Assert.False(diff.HasReplacements);
        Assert.True(diff.ParametersChanged || diff.Modified > 0);
    }
}
