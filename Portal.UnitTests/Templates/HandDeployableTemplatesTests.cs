using System.Text.Json.Nodes;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Templates;

namespace Portal.Tests.Templates;

/// <summary>
/// The YAML templates stand on their own for a person deploying by hand: every parameter is described and
/// constrained, the outputs name what was made, and for the default request the renderer produces exactly the
/// template as written (it only fills parameters).
/// </summary>
public sealed class HandDeployableTemplatesTests
{
    public static IEnumerable<object[]> Kinds() => TemplateLibrary.Kinds.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_parameter_is_described_and_constrained(StackKind kind)
    {
        var parameters = TemplateLibrary.LoadEmbedded().Json(kind)["Parameters"]!.AsObject();
        Assert.NotEmpty(parameters);
        foreach (var (name, definition) in parameters)
        {
            Assert.False(string.IsNullOrWhiteSpace(definition!["Description"]?.GetValue<string>()), $"{name} has no Description");
            var type = definition["Type"]!.GetValue<string>();
            var constrained = definition["AllowedValues"] is not null || definition["AllowedPattern"] is not null
                || (type == "Number" && definition["MinValue"] is not null && definition["MaxValue"] is not null);
            Assert.True(constrained, $"{name} has neither AllowedValues, AllowedPattern nor a range");
        }
    }

    [Theory]
    [InlineData(StackKind.Shared, new[] { "ContentBucketName", "LogBucketName", "DefaultDocumentFunctionArn" })]
    [InlineData(StackKind.Site, new[] { "DistributionId", "DistributionDomainName", "CertificateArn", "ResponseHeadersPolicyId" })]
    [InlineData(StackKind.Redirect, new[] { "DistributionId", "DistributionDomainName", "CertificateArn" })]
    [InlineData(StackKind.MtaSts, new[] { "DistributionId", "DistributionDomainName", "CertificateArn", "PolicyId", "PolicyIdRecord" })]
    [InlineData(StackKind.Headers, new[] { "ResponseHeadersPolicyId", "OriginAccessControlId" })]
    public void Outputs_name_what_the_stack_made(StackKind kind, string[] outputs)
    {
        var declared = TemplateLibrary.LoadEmbedded().Json(kind)["Outputs"]!.AsObject();
        Assert.All(outputs, o => Assert.True(declared.ContainsKey(o), o));
        Assert.All(declared, o => Assert.False(string.IsNullOrWhiteSpace(o.Value!["Description"]?.GetValue<string>()), o.Key));
    }

    [Fact]
    public void The_default_site_renders_to_the_template_as_written()
    {
        var spec = new SiteSpec { Host = "docs.example.com", HostedZoneId = "Z0123456789ABC", HostedZoneName = "example.com" };
        var stack = RenderMatrix.Renderer(RenderMatrix.DefaultSettings)
            .Render(new RenderRequest(RenderMatrix.RequestId, 1, "Alice", spec), DeploymentEnvironment.Production).Stacks.Single();

        Assert.Equal(TemplateJson.Write(TemplateLibrary.LoadEmbedded().Json(StackKind.Site)), stack.TemplateBody);
    }

    [Fact]
    public void The_shared_stack_renders_to_the_template_as_written_with_one_function_copy()
    {
        var stack = RenderMatrix.Renderer(RenderMatrix.DefaultSettings with { DefaultDocumentFunctionShards = 1 }).RenderShared();

        Assert.Equal(TemplateJson.Write(TemplateLibrary.LoadEmbedded().Json(StackKind.Shared)), stack.TemplateBody);
        Assert.Equal("us-east-1", stack.Region);
        Assert.Equal("eu-west-1", RenderMatrix.Renderer(RenderMatrix.OtherSettings).RenderShared().Region);
    }

    [Fact]
    public void The_shared_stack_has_one_default_document_function_per_copy_each_named_apart()
    {
        var stack = RenderMatrix.Renderer(RenderMatrix.DefaultSettings with { DefaultDocumentFunctionShards = 3 }).RenderShared();
        var template = JsonNode.Parse(stack.TemplateBody)!["Resources"]!.AsObject();

        var names = template.Where(r => r.Value!["Type"]!.GetValue<string>() == "AWS::CloudFront::Function").Select(r => r.Value!["Properties"]!["Name"]!.ToJsonString()).ToList();

        Assert.Equal(["{\"Ref\":\"DefaultDocumentFunctionName\"}", "{\"Fn::Sub\":\"${DefaultDocumentFunctionName}-2\"}", "{\"Fn::Sub\":\"${DefaultDocumentFunctionName}-3\"}"], names);
    }

    [Fact]
    public void Every_template_fits_cloudformations_inline_limit_indented_unless_it_must_be_compact()
    {
        foreach (var (label, stack) in RenderMatrix.AllStacks)
        {
            var size = System.Text.Encoding.UTF8.GetByteCount(stack.TemplateBody);
            Assert.True(size <= StackRenderer.MaxTemplateBodyBytes, $"{label}: {size} bytes");
            var indented = TemplateJson.Write(JsonNode.Parse(stack.TemplateBody)!);
            var mustBeCompact = System.Text.Encoding.UTF8.GetByteCount(indented) > StackRenderer.MaxTemplateBodyBytes;
            Assert.Equal(mustBeCompact ? TemplateJson.WriteCompact(JsonNode.Parse(stack.TemplateBody)!) : indented, stack.TemplateBody);
        }
    }

    [Fact]
    public void Rendered_parameters_are_exactly_the_template_parameters_in_order()
    {
        foreach (var (label, stack) in RenderMatrix.AllStacks)
        {
            var declared = JsonNode.Parse(stack.TemplateBody)!["Parameters"]!.AsObject().Select(p => p.Key);
            Assert.True(declared.SequenceEqual(stack.Parameters.Select(p => p.ParameterKey)), label);
        }
    }
}
