using CsCheck;
using Portal.Core.MtaSts;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;

namespace Portal.Tests.MtaSts;

/// <summary>The record is written as <c>v=STSv1; id=&lt;id&gt;</c> and reads back to the same id.</summary>
public class TxtRecordSerializationTests
{
    private static readonly Gen<string> Id = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"], 1, 32];

    [Fact]
    public void The_record_text_is_version_then_id()
    {
        Assert.Equal("v=STSv1; id=20160831085700Z", new MtaStsTxtRecord("20160831085700Z").Serialize());
    }

    [Fact]
    public void Any_valid_id_round_trips()
    {
        Id.Sample(id => Assert.Equal(new MtaStsTxtRecord(id), MtaStsTxtRecord.Parse(new MtaStsTxtRecord(id).Serialize()).Value), iter: 1000);
    }

    [Fact]
    public void The_record_for_a_policy_carries_its_content_id()
    {
        var policy = new MtaStsPolicy(MtaStsMode.Enforce, 604800, ["mail.example.com", "*.example.net", "backupmx.example.com"]);

        Assert.Equal("v=STSv1; id=b7c7f8ecaf8c62bfd6c88412f7c35d06", MtaStsTxtRecord.For(policy).Serialize());
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc;mode")]
    [InlineData("0123456789abcdef0123456789abcdef0")]
    public void A_bad_id_cannot_be_serialized(string id)
    {
        Assert.Throws<InvalidOperationException>(() => new MtaStsTxtRecord(id).Serialize());
    }
}
