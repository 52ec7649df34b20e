using System.Text.Json.Nodes;
using Portal.LocalCloud.CloudFormation;
using Portal.LocalCloud.Wire;

namespace Portal.Tests.Aws.Loopback;

/// <summary>Sites made outside the portal in the local cloud, for the portal to adopt.</summary>
public static class ExistingSites
{
    /// <summary>
    /// Deploys a site the way a team did before the portal: one stack through the local cloud's CloudFormation, with a
    /// certificate validated in the zone and a distribution serving <paramref name="host"/> from the bucket (or, with no
    /// bucket, from a custom origin). Returns the distribution's id.
    /// </summary>
    public static async Task<string> DeployAsync(CloudFormationService cloudFormation, string stack, string host, string zone, string? bucket)
    {
        var origin = bucket is null
            ? new JsonObject { ["Id"] = "content", ["DomainName"] = "origin.example.net", ["CustomOriginConfig"] = new JsonObject { ["OriginProtocolPolicy"] = "https-only" } }
            : new JsonObject
            {
                ["Id"] = "content",
                ["DomainName"] = new JsonObject { ["Fn::GetAtt"] = new JsonArray("Bucket", "RegionalDomainName") },
                ["S3OriginConfig"] = new JsonObject { ["OriginAccessIdentity"] = "" },
            };
        var resources = new JsonObject
        {
            ["Certificate"] = new JsonObject
            {
                ["Type"] = "AWS::CertificateManager::Certificate",
                ["Properties"] = new JsonObject
                {
                    ["DomainName"] = host,
                    ["ValidationMethod"] = "DNS",
                    ["DomainValidationOptions"] = new JsonArray(new JsonObject { ["DomainName"] = host, ["HostedZoneId"] = zone }),
                },
            },
            ["Distribution"] = new JsonObject
            {
                ["Type"] = "AWS::CloudFront::Distribution",
                ["Properties"] = new JsonObject
                {
                    ["DistributionConfig"] = new JsonObject
                    {
                        ["Enabled"] = true,
                        ["Aliases"] = new JsonArray(host),
                        ["DefaultRootObject"] = "index.html",
                        ["Origins"] = new JsonArray(origin),
                        ["DefaultCacheBehavior"] = new JsonObject
                        {
                            ["TargetOriginId"] = "content", ["ViewerProtocolPolicy"] = "redirect-to-https", ["CachePolicyId"] = "658327ea-f89d-4fab-a63d-7e88639e58f6",
                        },
                        ["CustomErrorResponses"] = new JsonArray(new JsonObject { ["ErrorCode"] = 404, ["ResponseCode"] = 404, ["ResponsePagePath"] = "/404.html" }),
                        ["ViewerCertificate"] = new JsonObject
                        {
                            ["AcmCertificateArn"] = new JsonObject { ["Ref"] = "Certificate" }, ["SslSupportMethod"] = "sni-only", ["MinimumProtocolVersion"] = "TLSv1.2_2021",
                        },
                    },
                },
            },
        };
        if (bucket is not null)
        {
            resources["Bucket"] = new JsonObject { ["Type"] = "AWS::S3::Bucket", ["Properties"] = new JsonObject { ["BucketName"] = bucket } };
        }

        var template = new JsonObject
        {
            ["Resources"] = resources,
            ["Outputs"] = new JsonObject { ["DistributionId"] = new JsonObject { ["Value"] = new JsonObject { ["Ref"] = "Distribution" } } },
        };
        const string Region = "us-east-1";
        var created = cloudFormation.Handle("CreateChangeSet", Region, Tree.Of(
            ("StackName", stack), ("ChangeSetName", "create"), ("ChangeSetType", "CREATE"), ("TemplateBody", template.ToJsonString())));
        Assert.Null(created.Error);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var described = cloudFormation.Handle("DescribeChangeSet", Region, Tree.Of(("ChangeSetName", "create"), ("StackName", stack)));
            var status = described.Output!.Str("Status");
            Assert.NotEqual("FAILED", status);
            if (status == "CREATE_COMPLETE")
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "the change set of the existing site was not created in time");
            await Task.Delay(20);
        }

        Assert.Null(cloudFormation.Handle("ExecuteChangeSet", Region, Tree.Of(("ChangeSetName", "create"), ("StackName", stack))).Error);

        // One read of the status per turn: the stack completes on its own, between two reads.
        for (var status = cloudFormation.StatusOf(Region, stack); status is not "CREATE_COMPLETE"; status = cloudFormation.StatusOf(Region, stack))
        {
            Assert.True(status is not null && status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal) && DateTime.UtcNow < deadline,
                $"the existing site's stack ended {status}");
            await Task.Delay(20);
        }

        var stacks = cloudFormation.Handle("DescribeStacks", Region, Tree.Of(("StackName", stack))).Output!.List("Stacks");
        var outputs = ((Dictionary<string, object?>)stacks[0]!).List("Outputs").Cast<Dictionary<string, object?>>();
        return outputs.Single(o => o.Str("OutputKey") == "DistributionId").Str("OutputValue")!;
    }
}
