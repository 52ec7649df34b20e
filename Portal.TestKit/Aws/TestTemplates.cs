using System.Text.Json.Nodes;

namespace Portal.Tests.Aws;

/// <summary>Small CloudFormation templates for exercising the clients and the engine without the renderer.</summary>
public static class TestTemplates
{
    public static string Site(string marker = "v1") => new JsonObject
    {
        ["AWSTemplateFormatVersion"] = "2010-09-09",
        ["Parameters"] = new JsonObject
        {
            ["SiteName"] = new JsonObject { ["Type"] = "String" },
            ["Environment"] = new JsonObject { ["Type"] = "String", ["Default"] = "testing" },
            ["HostedZoneId"] = new JsonObject { ["Type"] = "String", ["Default"] = Infrastructure.TestSpecs.ZoneId },
        },
        ["Resources"] = new JsonObject
        {
            ["Certificate"] = new JsonObject
            {
                ["Type"] = "AWS::CertificateManager::Certificate",
                ["Properties"] = new JsonObject
                {
                    ["DomainName"] = new JsonObject { ["Ref"] = "SiteName" },

                    // DNS validation through the zone: CloudFormation writes the record itself, so the certificate is issued at once.
                    ["ValidationMethod"] = "DNS",
                    ["DomainValidationOptions"] = new JsonArray(new JsonObject
                    {
                        ["DomainName"] = new JsonObject { ["Ref"] = "SiteName" },
                        ["HostedZoneId"] = new JsonObject { ["Ref"] = "HostedZoneId" },
                    }),
                },
            },
            ["HeadersPolicy"] = new JsonObject
            {
                ["Type"] = "AWS::CloudFront::ResponseHeadersPolicy",
                ["Properties"] = new JsonObject { ["ResponseHeadersPolicyConfig"] = new JsonObject { ["Name"] = "site-headers", ["Comment"] = marker } },
            },
            ["Distribution"] = new JsonObject
            {
                ["Type"] = "AWS::CloudFront::Distribution",
                ["Properties"] = new JsonObject
                {
                    ["DistributionConfig"] = new JsonObject
                    {
                        ["Enabled"] = true,
                        ["Aliases"] = new JsonArray(new JsonObject { ["Ref"] = "SiteName" }),
                        ["Origins"] = new JsonArray(new JsonObject { ["Id"] = "content", ["DomainName"] = "content.s3.us-east-1.amazonaws.com", ["S3OriginConfig"] = new JsonObject() }),
                        ["DefaultCacheBehavior"] = new JsonObject
                        {
                            ["TargetOriginId"] = "content",
                            ["ViewerProtocolPolicy"] = "redirect-to-https",
                            ["ResponseHeadersPolicyId"] = new JsonObject { ["Ref"] = "HeadersPolicy" },
                        },
                        ["ViewerCertificate"] = new JsonObject
                        {
                            ["AcmCertificateArn"] = new JsonObject { ["Ref"] = "Certificate" },
                            ["SslSupportMethod"] = "sni-only",
                            ["MinimumProtocolVersion"] = "TLSv1.2_2021",
                        },
                    },
                },
            },
            ["RecordA"] = new JsonObject
            {
                ["Type"] = "AWS::Route53::RecordSet",
                ["Properties"] = new JsonObject
                {
                    ["HostedZoneName"] = "example.com.",
                    ["Name"] = new JsonObject { ["Ref"] = "SiteName" },
                    ["Type"] = "A",
                    ["AliasTarget"] = new JsonObject
                    {
                        ["DNSName"] = new JsonObject { ["Fn::GetAtt"] = new JsonArray("Distribution", "DomainName") },
                        ["HostedZoneId"] = "Z2FDTNDATAQYW2",
                    },
                },
            },
        },
        ["Outputs"] = new JsonObject
        {
            ["DistributionId"] = new JsonObject { ["Value"] = new JsonObject { ["Ref"] = "Distribution" } },
            ["ContentPrefix"] = new JsonObject { ["Value"] = new JsonObject { ["Fn::Sub"] = "${Environment}/${SiteName}/" } },
        },
    }.ToJsonString();
}
