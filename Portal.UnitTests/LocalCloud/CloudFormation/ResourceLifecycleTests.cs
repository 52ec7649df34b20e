using System.Text.Json.Nodes;
using static Portal.Tests.LocalCloud.CloudFormation.CloudFormationHarness;

namespace Portal.Tests.LocalCloud.CloudFormation;

/// <summary>
/// Executing a change set creates the resources in dependency order with their real ids: a reference resolves to the
/// physical id or attribute of the resource already created, and the live resources land in the resource index.
/// </summary>
public sealed class ResourceLifecycleTests
{
    private static JsonObject Site() => Template(
        new JsonObject
        {
            // Declared before what it references: the order comes from the references, not the template.
            ["Policy"] = new JsonObject
            {
                ["Type"] = "AWS::S3::BucketPolicy",
                ["Properties"] = new JsonObject
                {
                    ["Bucket"] = new JsonObject { ["Ref"] = "Content" },
                    ["PolicyDocument"] = new JsonObject { ["Statement"] = new JsonArray(new JsonObject { ["Effect"] = "Allow", ["Resource"] = new JsonObject { ["Fn::Sub"] = "${Content.Arn}/*" } }) },
                },
            },
            ["Content"] = Bucket(dependsOn: "Logs"),
            ["Logs"] = Bucket(),
        },
        outputs: new JsonObject
        {
            ["ContentArn"] = new JsonObject { ["Value"] = new JsonObject { ["Fn::GetAtt"] = new JsonArray("Content", "Arn") } },
            ["Domain"] = new JsonObject { ["Value"] = new JsonObject { ["Fn::GetAtt"] = new JsonArray("Content", "RegionalDomainName") } },
        });

    [Fact]
    public void Resources_are_created_after_what_they_reference_with_real_ids_and_AWS_event_order()
    {
        var h = new CloudFormationHarness();
        Assert.Equal("CREATE_COMPLETE", h.Deploy("site", "cs", Site()));

        var events = h.Events("site");
        var completed = events.Where(e => e.Status == "CREATE_COMPLETE" && e.Logical != "site").Select(e => e.Logical).ToList();
        Assert.Equal(["Logs", "Content", "Policy"], completed);
        Assert.Equal(("site", "CREATE_IN_PROGRESS", "User Initiated"), (events[1].Logical, events[1].Status, events[1].Reason));
        var logs = events.Where(e => e.Logical == "Logs").ToList();
        Assert.Equal([("CREATE_IN_PROGRESS", null), ("CREATE_IN_PROGRESS", "Resource creation Initiated"), ("CREATE_COMPLETE", null)], logs.Select(e => (e.Status, e.Reason)).ToList());
        Assert.Equal("CREATE_COMPLETE", events[^1].Status);

        var content = Assert.Single(h.Index.All(), r => r.LogicalId == "Content");
        Assert.Matches("^site-content-[a-z0-9]{13}$", content.PhysicalId);
        var policy = Assert.Single(h.Index.All(), r => r.LogicalId == "Policy");
        Assert.Equal(content.PhysicalId, policy.Properties["Bucket"]!.GetValue<string>());
        Assert.Equal($"arn:aws:s3:::{content.PhysicalId}/*", policy.Properties["PolicyDocument"]!["Statement"]![0]!["Resource"]!.GetValue<string>());
        Assert.Equal(new Dictionary<string, string>
        {
            ["ContentArn"] = $"arn:aws:s3:::{content.PhysicalId}",
            ["Domain"] = $"{content.PhysicalId}.s3.us-east-1.amazonaws.com",
        }, h.Outputs("site"));
    }

    [Fact]
    public void Deleting_the_stack_deletes_in_reverse_dependency_order_and_empties_the_index()
    {
        var h = new CloudFormationHarness();
        h.Deploy("site", "cs", Site());
        var id = (string)h.Stack("site")["StackId"]!;
        Assert.Null(h.Engine.Handle("DeleteStack", Region, Input(("StackName", "site"))).Error);
        Assert.Equal("DELETE_COMPLETE", h.Settle("site"));

        var deleted = h.Events(id).Where(e => e.Status == "DELETE_COMPLETE" && e.Logical != "site").Select(e => e.Logical).ToList();
        Assert.Equal(["Policy", "Content", "Logs"], deleted);
        Assert.Empty(h.Index.All());
    }

    [Fact]
    public void A_distribution_gets_an_E_id_and_a_cloudfront_net_domain_name()
    {
        var h = new CloudFormationHarness();
        var template = JsonNode.Parse(Portal.Tests.Aws.TestTemplates.Site())!.AsObject();
        Assert.Equal("CREATE_COMPLETE", h.Deploy("cdn", "cs", template, new Dictionary<string, string> { ["SiteName"] = "docs.example.com" }));

        var distribution = Assert.Single(h.Index.OfType("AWS::CloudFront::Distribution"));
        Assert.Matches("^E[A-Z0-9]{13}$", distribution.PhysicalId);
        Assert.Matches(@"^d[a-z0-9]{13}\.cloudfront\.net$", distribution.Attributes["DomainName"]);
        Assert.True(h.Engine.HasDistribution(distribution.PhysicalId));
        var record = Assert.Single(h.Index.OfType("AWS::Route53::RecordSet"));
        Assert.Equal(distribution.Attributes["DomainName"], record.Properties["AliasTarget"]!["DNSName"]!.GetValue<string>());
        var certificate = Assert.Single(h.Index.OfType("AWS::CertificateManager::Certificate"));
        Assert.Matches("^arn:aws:acm:us-east-1:123456789012:certificate/[0-9a-f-]{36}$", certificate.PhysicalId);
        Assert.Equal(certificate.PhysicalId, distribution.Properties["DistributionConfig"]!["ViewerCertificate"]!["AcmCertificateArn"]!.GetValue<string>());
    }
}
