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
        },
        ["Resources"] = new JsonObject
        {
            ["Certificate"] = new JsonObject { ["Type"] = "AWS::CertificateManager::Certificate", ["Properties"] = new JsonObject { ["DomainName"] = new JsonObject { ["Ref"] = "SiteName" } } },
            ["HeadersPolicy"] = new JsonObject { ["Type"] = "AWS::CloudFront::ResponseHeadersPolicy", ["Properties"] = new JsonObject { ["Marker"] = marker } },
            ["Distribution"] = new JsonObject { ["Type"] = "AWS::CloudFront::Distribution", ["Properties"] = new JsonObject() },
            ["RecordA"] = new JsonObject { ["Type"] = "AWS::Route53::RecordSet", ["Properties"] = new JsonObject() },
        },
        ["Outputs"] = new JsonObject
        {
            ["DistributionId"] = new JsonObject { ["Value"] = new JsonObject { ["Ref"] = "Distribution" } },
            ["ContentPrefix"] = new JsonObject { ["Value"] = new JsonObject { ["Fn::Sub"] = "${Environment}/${SiteName}/" } },
        },
    }.ToJsonString();
}
