using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Portal.Core.Templates;
using Portal.LocalCloud.Resources;
using Portal.Tests.Templates;

namespace Portal.Tests.LocalCloud;

/// <summary>
/// Rendered stacks put into a resource index as if CloudFormation had created them: the template is resolved by
/// <see cref="TemplateEvaluator"/>, and its placeholders become ids unique to the stack (so two stacks' policies or
/// functions never share an id), with each distribution its own <c>dxxxx.cloudfront.net</c> name.
/// </summary>
internal static class DeployedStacks
{
    /// <summary>The example testing site's own content bucket, as <see cref="Put"/> names the stack's bucket.</summary>
    public static string ContentBucket { get; } = ContentBucketOf(ExampleSite().Single(s => s.Kind == StackKind.Site));

    /// <summary>The content bucket a site stack makes, as <see cref="Put"/> names it.</summary>
    public static string ContentBucketOf(RenderedStack stack) => stack.StackName + "-contentbucket";

    /// <summary>The example site (test.docs.example.com with its redirect www name), the shared stack and the headers stacks, in testing.</summary>
    public static IReadOnlyList<RenderedStack> ExampleSite()
    {
        var result = RenderMatrix.Render("site-example", "testing", "default");
        Assert.True(result.IsSuccess);
        return [RenderMatrix.Renderer(RenderMatrix.DefaultSettings).RenderShared(), .. result.HeadersStacks, .. result.Stacks];
    }

    /// <summary>The headers stacks the example MTA-STS stack imports.</summary>
    public static IReadOnlyList<RenderedStack> ExampleMtaStsHeaders()
    {
        var result = RenderMatrix.Render("mta-sts-example", "production", "default");
        Assert.True(result.IsSuccess);
        return result.HeadersStacks;
    }

    /// <summary>The example MTA-STS stack (mta-sts.example.com), in production.</summary>
    public static RenderedStack ExampleMtaSts()
    {
        var result = RenderMatrix.Render("mta-sts-example", "production", "default");
        Assert.True(result.IsSuccess);
        return result.Stacks.Single();
    }

    public static ResourceIndex Index(params IEnumerable<RenderedStack> stacks)
    {
        var index = new ResourceIndex();
        foreach (var stack in stacks)
        {
            Put(index, stack);
        }

        return index;
    }

    /// <summary>The stack's resources after CloudFormation resolved them, placeholders replaced.</summary>
    public static JsonObject Resolved(RenderedStack stack)
    {
        var template = JsonNode.Parse(stack.TemplateBody)!.AsObject();
        var (resolved, failures) = TemplateEvaluator.Resolve(template, stack.Parameters.ToDictionary(p => p.ParameterKey, p => p.ParameterValue), stack.Region, Import);
        Assert.Empty(failures);
        var text = resolved.ToJsonString()
            .Replace("placeholder-", stack.StackName + "-", StringComparison.Ordinal)
            .Replace("d111111abcdef8.cloudfront.net", DomainName(stack), StringComparison.Ordinal);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>A headers stack's exports as <see cref="Put"/> names its resources.</summary>
    private static string? Import(string exportName) => exportName switch
    {
        _ when exportName.EndsWith("-ResponseHeadersPolicyId", StringComparison.Ordinal) => exportName[..^"-ResponseHeadersPolicyId".Length] + "-headerspolicy",
        _ when exportName.EndsWith("-OriginAccessControlId", StringComparison.Ordinal) => exportName[..^"-OriginAccessControlId".Length] + "-originaccesscontrol",
        _ => null,
    };

    public static void Put(ResourceIndex index, RenderedStack stack)
    {
        foreach (var (logicalId, resource) in Resolved(stack)["Resources"]!.AsObject())
        {
            var type = resource!["Type"]!.GetValue<string>();
            var physicalId = stack.StackName + "-" + logicalId.ToLowerInvariant();
            var attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["Id"] = physicalId };
            if (type == "AWS::CloudFront::Distribution")
            {
                attributes["DomainName"] = DomainName(stack);
            }
            else if (type == "AWS::CloudFront::Function")
            {
                attributes["FunctionARN"] = "arn:aws:cloudfront::" + TemplateEvaluator.AccountId + ":function/" + physicalId;
                attributes["Stage"] = "LIVE";
            }

            index.Put(new LiveResource("arn:aws:cloudformation:us-east-1:" + TemplateEvaluator.AccountId + ":stack/" + stack.StackName + "/1",
                logicalId, type, physicalId, resource["Properties"]?.AsObject() ?? [], attributes));
        }
    }

    /// <summary>The stack's Route53 record sets, added to <paramref name="zoneId"/> of <paramref name="route53"/>.</summary>
    public static void PutRecords(Route53Service route53, string zoneId, RenderedStack stack)
    {
        foreach (var (_, resource) in Resolved(stack)["Resources"]!.AsObject())
        {
            if (resource!["Type"]!.GetValue<string>() != "AWS::Route53::RecordSet")
            {
                continue;
            }

            var properties = resource["Properties"]!;
            var name = properties["Name"]!.GetValue<string>();
            var type = properties["Type"]!.GetValue<string>();
            if (properties["AliasTarget"]?["DNSName"]?.GetValue<string>() is { } alias)
            {
                route53.AddRecord(zoneId, name, type, aliasTarget: alias);
                continue;
            }

            foreach (var value in properties["ResourceRecords"]!.AsArray())
            {
                route53.AddRecord(zoneId, name, type, value!.GetValue<string>());
            }
        }
    }

    /// <summary>A distribution name of CloudFront's form, the same for a stack every time.</summary>
    public static string DomainName(RenderedStack stack) =>
        "d" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(stack.StackName)))[..13] + ".cloudfront.net";

    public static string Alias(RenderedStack stack) =>
        Resolved(stack)["Resources"]!["Distribution"]!["Properties"]!["DistributionConfig"]!["Aliases"]![0]!.GetValue<string>();

    public static string Code(RenderedStack stack, string logicalId) =>
        Resolved(stack)["Resources"]![logicalId]!["Properties"]!["FunctionCode"]!.GetValue<string>();
}
