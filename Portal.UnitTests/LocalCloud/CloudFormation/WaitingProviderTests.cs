using System.Text.Json.Nodes;
using Portal.LocalCloud.Resources;
using static Portal.Tests.LocalCloud.CloudFormation.CloudFormationHarness;

namespace Portal.Tests.LocalCloud.CloudFormation;

/// <summary>A provider that answers WaitingFor keeps its resource in progress, with that reason, until a later poll completes it.</summary>
public sealed class WaitingProviderTests
{
    /// <summary>A certificate that waits for its validation until told otherwise.</summary>
    private sealed class PendingCertificates : IResourceProvider
    {
        public bool Issued { get; set; }

        public int Polls { get; private set; }

        public string Type => "AWS::CertificateManager::Certificate";

        public ProvisionResult Create(ProvisionContext context, JsonObject properties) =>
            ProvisionResult.Created("arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555") with { WaitingFor = "Content of DNS Record is: {Name: _x.example.com.,Type: CNAME,Value: _y.acm-validations.aws.}" };

        public ProvisionResult Update(ProvisionContext context, LiveResource current, JsonObject properties) => ProvisionResult.Created(current.PhysicalId);

        public string? Delete(ProvisionContext context, LiveResource current) => null;

        public ProvisionResult Poll(ProvisionContext context, LiveResource current)
        {
            Polls++;
            return Issued ? ProvisionResult.Created(current.PhysicalId) : ProvisionResult.Created(current.PhysicalId) with { WaitingFor = "Content of DNS Record is: {Name: _x.example.com.,Type: CNAME,Value: _y.acm-validations.aws.}" };
        }
    }

    [Fact]
    public void A_waiting_resource_stays_in_progress_and_completes_when_a_poll_says_so()
    {
        var certificates = new PendingCertificates();
        var h = new CloudFormationHarness(new ResourceProviders([certificates]));
        var template = Template(new JsonObject
        {
            ["Certificate"] = new JsonObject { ["Type"] = "AWS::CertificateManager::Certificate", ["Properties"] = new JsonObject { ["DomainName"] = "example.com", ["ValidationMethod"] = "DNS" } },
        });
        h.Start("s", "cs", template);
        for (var i = 0; i < 20; i++)
        {
            h.Clock.Advance(h.Timings.ResourceStep);
        }

        Assert.Equal("CREATE_IN_PROGRESS", h.Engine.StatusOf(Region, "s"));
        Assert.True(certificates.Polls > 5);
        Assert.Single(h.Events("s"), e => e.Reason?.StartsWith("Content of DNS Record is:", StringComparison.Ordinal) == true);

        certificates.Issued = true;
        Assert.Equal("CREATE_COMPLETE", h.Settle("s"));
        Assert.Equal(("Certificate", "CREATE_COMPLETE"), (h.Events("s")[^2].Logical, h.Events("s")[^2].Status));
    }
}
