using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Portal.Core.Templates;
using Portal.LocalCloud.Resources;

namespace Portal.Tests.LocalCloud.Providers;

/// <summary>
/// The portal's own shared and site templates, resolved and provisioned resource by resource as the CloudFormation
/// engine does, meet every rule of the resource providers; and the rules still bite on them (one alias, one site).
/// </summary>
public sealed partial class PortalTemplatesAgainstTheRulesTests
{
    private readonly ProviderWorld _world = new();
    private readonly Dictionary<string, string> _exports = new(StringComparer.Ordinal);
    private readonly string _zone;

    public PortalTemplatesAgainstTheRulesTests() => _zone = _world.Route53.AddZone("example.com");

    [Fact]
    public void The_shared_stack_and_a_testing_site_with_a_deploy_role_are_created()
    {
        Deploy(StackKind.Shared, Shared());
        DeployHeaders();
        var site = Deploy(StackKind.Site, Site("docs.example.com", "testing", ("DeployRepository", "acme/docs-site"), ("DeployBranch", "main")));

        var records = _world.Route53.FindZone(_zone)!.Records;
        var distribution = site["Distribution"];
        Assert.Contains(records, r => r.Name == "test.docs.example.com." && r.Type == "A" && r.AliasTarget == distribution.Attributes["DomainName"] + ".");
        Assert.Contains(records, r => r.Name == "test.docs.example.com." && r.Type == "AAAA");
        Assert.Contains("DeployRole", site.Keys);
        Assert.True(_world.S3.HasBucket("portal-content"));

        // The site's own bucket, readable by its own distribution only, is its origin.
        var bucket = site["ContentBucket"].PhysicalId;
        Assert.True(_world.S3.HasBucket(bucket));
        var origin = distribution.Properties["DistributionConfig"]!["Origins"]![0]!;
        Assert.Equal($"{bucket}.s3.us-east-1.amazonaws.com", origin["DomainName"]!.GetValue<string>());
        var read = site["ContentBucketPolicy"].Properties["PolicyDocument"]!["Statement"]![0]!;
        Assert.Equal($"arn:aws:cloudfront::123456789012:distribution/{distribution.PhysicalId}", read["Condition"]!["StringEquals"]!["aws:SourceArn"]!.GetValue<string>());
    }

    [Fact]
    public void Both_environments_of_two_sites_share_the_function_the_headers_and_the_log_bucket()
    {
        Deploy(StackKind.Shared, Shared());
        DeployHeaders();

        foreach (var (host, environment) in new[] { ("docs.example.com", "testing"), ("docs.example.com", "production"), ("blog.example.com", "production") })
        {
            Deploy(StackKind.Site, Site(host, environment));
        }

        Assert.Equal(3, _world.Resources.OfType("AWS::CloudFront::Distribution").Count);
        Assert.Single(_world.Resources.OfType("AWS::CloudFront::ResponseHeadersPolicy"));
        Assert.Single(_world.Resources.OfType("AWS::CloudFront::OriginAccessControl"));
    }

    [Fact]
    public void A_redirect_and_an_mta_sts_stack_join_the_site_in_the_same_zone()
    {
        Deploy(StackKind.Shared, Shared());
        DeployHeaders();
        Deploy(StackKind.Site, Site("docs.example.com", "production"));

        var redirect = Site("docs.example.com", "production", ("RedirectFrom", "www.docs.example.com"), ("ContentBucketName", "portal-content"), ("ContentBucketRegion", "us-east-1"));
        Deploy(StackKind.Redirect, redirect);
        Deploy(StackKind.MtaSts, new Dictionary<string, string>
        {
            ["MailDomain"] = "example.com",
            ["HostedZoneId"] = _zone,
            ["PolicyMode"] = "enforce",
            ["PolicyMx"] = "mail.example.com",
            ["PolicyId"] = "20260301120000",
            ["TlsRptRua"] = "mailto:tls-reports@example.com",
            ["ContentBucketName"] = "portal-content",
            ["ContentBucketRegion"] = "us-east-1",
            ["LogBucketName"] = "portal-logs",
            ["HeadersStackName"] = HeadersStack,
        });

        var records = _world.Route53.FindZone(_zone)!.Records;
        Assert.Contains(records, r => r.Name == "www.docs.example.com." && r.Type == "A");
        Assert.Contains(records, r => r.Name == "_mta-sts.example.com." && r.Type == "TXT" && r.Values.Single() == "\"v=STSv1; id=20260301120000\"");
        Assert.Equal(3, _world.Resources.OfType("AWS::CloudFront::Distribution").Count);
    }

    [Fact]
    public void The_same_site_and_environment_deployed_twice_is_refused_for_its_alias()
    {
        Deploy(StackKind.Shared, Shared());
        DeployHeaders();
        Deploy(StackKind.Site, Site("docs.example.com", "production"));

        var failure = Assert.Throws<ProvisionFailure>(() => Deploy(StackKind.Site, Site("docs.example.com", "production")));

        Assert.Equal("Distribution", failure.LogicalId);
        Assert.Contains("Error Code: CNAMEAlreadyExists;", failure.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Shared() => new()
    {
        ["ContentBucketName"] = "portal-content",
        ["LogBucketName"] = "portal-logs",
    };

    private Dictionary<string, string> Site(string host, string environment, params (string Name, string Value)[] more)
    {
        var parameters = new Dictionary<string, string>
        {
            ["SiteName"] = host,
            ["Environment"] = environment,
            ["HostedZoneId"] = _zone,
            ["LogBucketName"] = "portal-logs",
            ["HeadersStackName"] = HeadersStack,
        };
        foreach (var (name, value) in more)
        {
            parameters[name] = value;
        }

        return parameters;
    }

    private const string HeadersStack = "portal-headers-0123456789abcdef";

    /// <summary>The headers stack with its default header set, its exports kept for the stacks that import them.</summary>
    private void DeployHeaders()
    {
        var made = Deploy(StackKind.Headers, []);
        _exports[HeadersStack + "-ResponseHeadersPolicyId"] = made["HeadersPolicy"].PhysicalId;
        _exports[HeadersStack + "-OriginAccessControlId"] = made["OriginAccessControl"].PhysicalId;
    }

    /// <summary>
    /// Resolves the template, then creates its resources in template order (each depends only on earlier ones),
    /// putting each created resource's Ref and attributes where the evaluator left its placeholders, and polling a
    /// resource that waits until it is complete.
    /// </summary>
    private Dictionary<string, LiveResource> Deploy(StackKind kind, Dictionary<string, string> parameters)
    {
        var (resolved, failures) = TemplateEvaluator.Resolve(TemplateLibrary.LoadEmbedded().Json(kind), parameters, _world.Region, _exports.GetValueOrDefault);
        Assert.Empty(failures);

        // Each stack has its own id, as the names made from it must differ between stacks.
        var text = resolved["Resources"]!.ToJsonString().Replace("6c2b9a10-5f0e-11ef-8c6f-0a1b2c3d4e5f", Guid.NewGuid().ToString("D"), StringComparison.Ordinal);
        var made = new Dictionary<string, LiveResource>(StringComparer.Ordinal);
        foreach (var (logicalId, _) in JsonNode.Parse(text)!.AsObject())
        {
            var resource = JsonNode.Parse(text)![logicalId]!;
            var type = resource["Type"]!.GetValue<string>();
            var result = _world.Create(type, logicalId, resource["Properties"]?.AsObject() ?? []);
            if (!result.Succeeded)
            {
                throw new ProvisionFailure(logicalId, result.Failure!);
            }

            var live = _world.Resources.Find(type, result.PhysicalId!)!;
            for (var polls = 0; result.WaitingFor is not null; polls++)
            {
                Assert.True(polls < 2, $"{logicalId} still waits: {result.WaitingFor}");
                result = _world.Poll(live);
            }

            made[logicalId] = live;
            text = Substitute(text, logicalId, type, live);
        }

        return made;
    }

    private static string Substitute(string text, string logicalId, string type, LiveResource live)
    {
        var name = logicalId.ToLowerInvariant();
        foreach (var (placeholder, attribute) in new[]
        {
            ($"arn:aws:s3:::placeholder-{name}", "Arn"),
            ($"arn:aws:cloudfront::{TemplateEvaluator.AccountId}:function/placeholder-{name}", "FunctionARN"),
            ("d111111abcdef8.cloudfront.net", type == "AWS::CloudFront::Distribution" ? "DomainName" : ""),
            ($"placeholder-{name}.s3.us-east-1.amazonaws.com", type == "AWS::S3::Bucket" ? "RegionalDomainName" : ""),
            ("E2QWRUHAPOMQZL", type == "AWS::CloudFront::OriginAccessControl" ? "Id" : ""),
        })
        {
            if (live.Attributes.TryGetValue(attribute, out var value))
            {
                text = text.Replace(placeholder, value, StringComparison.Ordinal);
            }
        }

        return Regex.Replace(text, $"placeholder-{Regex.Escape(name)}(?![a-z0-9])", live.PhysicalId);
    }

    private sealed class ProvisionFailure(string logicalId, string reason) : Exception(reason)
    {
        public string LogicalId { get; } = logicalId;
    }
}
