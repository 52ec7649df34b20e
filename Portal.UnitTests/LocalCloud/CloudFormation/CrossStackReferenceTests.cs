using System.Text.Json.Nodes;
using static Portal.Tests.LocalCloud.CloudFormation.CloudFormationHarness;

namespace Portal.Tests.LocalCloud.CloudFormation;

/// <summary>
/// Outputs with an Export and Fn::ImportValue as CloudFormation treats them: an import reads the export's value, an import
/// of a name nobody exports fails the change set, export names are unique in a region, and an export another stack
/// imports can be neither deleted nor changed.
/// </summary>
public sealed class CrossStackReferenceTests
{
    private static JsonObject Exporter(string exportName = "shared-BucketName") => Template(
        new JsonObject { ["A"] = Bucket() },
        outputs: new JsonObject
        {
            ["BucketName"] = new JsonObject
            {
                ["Value"] = new JsonObject { ["Ref"] = "A" },
                ["Export"] = new JsonObject { ["Name"] = exportName },
            },
        });

    private static JsonObject Importer(string exportName = "shared-BucketName") => Template(
        new JsonObject { ["B"] = Bucket() },
        outputs: new JsonObject
        {
            ["Imported"] = new JsonObject { ["Value"] = new JsonObject { ["Fn::ImportValue"] = new JsonObject { ["Fn::Sub"] = exportName.Replace("shared", "${Prefix}", StringComparison.Ordinal) } } },
        },
        parameters: new JsonObject { ["Prefix"] = new JsonObject { ["Type"] = "String", ["Default"] = "shared" } });

    private static (string? Status, string? Reason) ChangeSet(CloudFormationHarness h, string stack, string name)
    {
        h.Clock.Advance(h.Timings.ChangeSetCreation);
        var described = h.Engine.Handle("DescribeChangeSet", Region, Input(("ChangeSetName", name), ("StackName", stack))).Output!;
        return (described.Str("Status"), described.Str("StatusReason"));
    }

    [Fact]
    public void An_import_reads_the_exported_value()
    {
        var h = new CloudFormationHarness();
        Assert.Equal("CREATE_COMPLETE", h.Deploy("shared", "create", Exporter()));

        Assert.Equal("CREATE_COMPLETE", h.Deploy("user", "create", Importer()));

        Assert.Equal(h.Outputs("shared")["BucketName"], h.Outputs("user")["Imported"]);
    }

    [Fact]
    public void An_import_of_a_name_nobody_exports_fails_the_change_set()
    {
        var h = new CloudFormationHarness();

        Assert.Null(h.CreateChangeSet("user", "create", Importer()).Error);

        Assert.Equal(("FAILED", "No export named shared-BucketName found"), ChangeSet(h, "user", "create"));
    }

    [Fact]
    public void An_export_name_another_stack_exports_fails_the_change_set()
    {
        var h = new CloudFormationHarness();
        Assert.Equal("CREATE_COMPLETE", h.Deploy("shared", "create", Exporter()));

        Assert.Null(h.CreateChangeSet("other", "create", Exporter()).Error);

        Assert.Equal(("FAILED", "Export with name shared-BucketName is already exported by stack shared"), ChangeSet(h, "other", "create"));
    }

    [Fact]
    public void A_stack_whose_export_is_imported_cannot_be_deleted_until_the_importer_is_gone()
    {
        var h = new CloudFormationHarness();
        h.Deploy("shared", "create", Exporter());
        h.Deploy("user", "create", Importer());

        Assert.Null(h.Engine.Handle("DeleteStack", Region, Input(("StackName", "shared"))).Error);

        Assert.Equal("DELETE_FAILED", h.Settle("shared"));
        Assert.Contains(h.Events("shared"), e => e.Status == "DELETE_FAILED" && e.Reason == "Export shared-BucketName cannot be deleted as it is in use by user");
        Assert.Single(h.Index.OfType("AWS::S3::Bucket"), b => b.PhysicalId == h.Outputs("shared")["BucketName"]);

        h.Engine.Handle("DeleteStack", Region, Input(("StackName", "user")));
        Assert.Equal("DELETE_COMPLETE", h.Settle("user"));
        h.Engine.Handle("DeleteStack", Region, Input(("StackName", "shared")));
        Assert.Equal("DELETE_COMPLETE", h.Settle("shared"));
    }

    [Fact]
    public void An_imported_export_cannot_be_renamed_or_removed()
    {
        var h = new CloudFormationHarness();
        h.Deploy("shared", "create", Exporter());
        h.Deploy("user", "create", Importer());

        Assert.Null(h.CreateChangeSet("shared", "rename", Exporter("shared-Renamed"), type: "UPDATE").Error);

        Assert.Equal(("FAILED", "Cannot update export shared-BucketName as it is in use by user"), ChangeSet(h, "shared", "rename"));
    }
}
