using System.Text.Json.Nodes;
using Portal.Core.Templates;

namespace Portal.Tests.Templates;

/// <summary>The YAML loader writes CloudFormation's long forms and types scalars as YAML 1.2's core schema does.</summary>
public sealed class CloudFormationYamlTests
{
    [Fact]
    public void Short_form_functions_become_long_form()
    {
        var json = CloudFormationYaml.ToJson("""
            A: !Ref Bucket
            B: !GetAtt Distribution.DomainName
            C: !Sub 'arn:${AWS::Partition}:s3:::${Name}'
            D: !Join ['-', [!Select [2, !Split ['/', !Ref 'AWS::StackId']], x]]
            E: !If [IsProduction, !Ref Name, !Ref 'AWS::NoValue']
            F: !Not [!Equals [!Ref Zone, '']]
            G: !And [!Condition HasZone, !Condition HasRua]
            H: !Sub
              - '${Host}/'
              - Host: !Ref Name
            I: !GetAtt [Bucket, Arn]
            """);

        Assert.Equal("""{"Ref":"Bucket"}""", json["A"]!.ToJsonString());
        Assert.Equal("""{"Fn::GetAtt":["Distribution","DomainName"]}""", json["B"]!.ToJsonString());
        Assert.Equal("""{"Fn::Sub":"arn:${AWS::Partition}:s3:::${Name}"}""", json["C"]!.ToJsonString());
        Assert.Equal("""{"Fn::Join":["-",[{"Fn::Select":[2,{"Fn::Split":["/",{"Ref":"AWS::StackId"}]}]},"x"]]}""", json["D"]!.ToJsonString());
        Assert.Equal("""{"Fn::If":["IsProduction",{"Ref":"Name"},{"Ref":"AWS::NoValue"}]}""", json["E"]!.ToJsonString());
        Assert.Equal("""{"Fn::Not":[{"Fn::Equals":[{"Ref":"Zone"},""]}]}""", json["F"]!.ToJsonString());
        Assert.Equal("""{"Fn::And":[{"Condition":"HasZone"},{"Condition":"HasRua"}]}""", json["G"]!.ToJsonString());
        Assert.Equal("""{"Fn::Sub":["${Host}/",{"Host":{"Ref":"Name"}}]}""", json["H"]!.ToJsonString());
        Assert.Equal("""{"Fn::GetAtt":["Bucket","Arn"]}""", json["I"]!.ToJsonString());
    }

    [Fact]
    public void Plain_scalars_are_typed_and_quoted_ones_stay_strings()
    {
        var json = CloudFormationYaml.ToJson("""
            Int: 31536000
            Bool: true
            Null: ~
            Float: 1.5
            Text: http2and3
            QuotedInt: '300'
            QuotedBool: "true"
            Version: '2010-09-09'
            Id: 658327ea-f89d-4fab-a63d-7e88639e58f6
            Block: |
              line 1
              line "2"
            After: x
            """);

        Assert.Equal(31536000L, json["Int"]!.GetValue<long>());
        Assert.True(json["Bool"]!.GetValue<bool>());
        Assert.Null(json["Null"]);
        Assert.True(json.ContainsKey("Null"));
        Assert.Equal(1.5, json["Float"]!.GetValue<double>());
        Assert.Equal("http2and3", json["Text"]!.GetValue<string>());
        Assert.Equal("300", json["QuotedInt"]!.GetValue<string>());
        Assert.Equal("true", json["QuotedBool"]!.GetValue<string>());
        Assert.Equal("2010-09-09", json["Version"]!.GetValue<string>());
        Assert.Equal("658327ea-f89d-4fab-a63d-7e88639e58f6", json["Id"]!.GetValue<string>());
        Assert.Equal("line 1\nline \"2\"\n", json["Block"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("A: !Bogus x", "unknown tag '!Bogus'")]
    [InlineData("A: !GetAtt NoDot", "Resource.Attribute")]
    [InlineData("A: 1\nA: 2", "Duplicate key")]
    [InlineData("- a\n- b", "top level is a mapping")]
    [InlineData("A: [unclosed", "Line")]
    public void A_malformed_template_is_reported_with_what_is_wrong(string yaml, string expected)
    {
        var error = Assert.Throws<TemplateFormatException>(() => CloudFormationYaml.ToJson(yaml));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_template_file_loads()
    {
        var library = TemplateLibrary.LoadEmbedded();
        foreach (var kind in TemplateLibrary.Kinds)
        {
            var template = library.Json(kind);
            Assert.Equal("2010-09-09", template["AWSTemplateFormatVersion"]!.GetValue<string>());
            Assert.NotEmpty(template["Resources"]!.AsObject());
            Assert.Contains("AWSTemplateFormatVersion", library.Yaml(kind), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_embedded_templates_are_the_files_in_the_templates_folder()
    {
        var folder = Path.Combine(RepositoryRoot(), "templates");
        var fromFolder = TemplateLibrary.FromYaml(kind => File.ReadAllText(Path.Combine(folder, TemplateLibrary.FileName(kind))));
        var embedded = TemplateLibrary.LoadEmbedded();
        foreach (var kind in TemplateLibrary.Kinds)
        {
            Assert.Equal(fromFolder.Yaml(kind), embedded.Yaml(kind));
            Assert.True(JsonNode.DeepEquals(fromFolder.Json(kind), embedded.Json(kind)));
        }
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Portal.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Portal.slnx not found above the test binaries.");
    }
}
