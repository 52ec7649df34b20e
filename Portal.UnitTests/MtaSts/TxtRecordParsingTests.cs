using Portal.Core.MtaSts;

namespace Portal.Tests.MtaSts;

/// <summary>The <c>_mta-sts</c> TXT record follows RFC 8461 section 3.1.</summary>
public class TxtRecordParsingTests
{
    [Fact]
    public void The_section_3_1_example_record_gives_its_id()
    {
        // RFC 8461 section 3.1: _mta-sts.example.com.  IN TXT "v=STSv1; id=20160831085700Z;"
        var result = MtaStsTxtRecord.Parse("v=STSv1; id=20160831085700Z;");

        Assert.True(result.IsValid);
        Assert.Equal("20160831085700Z", result.Value!.Id);
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [InlineData("v=STSv1;id=abc")]
    [InlineData("v=STSv1 ; id=abc ;")]
    [InlineData("v=STSv1;\tid=abc;  ")]
    [InlineData("v=STSv1; id=abc; ext=1")]
    [InlineData("v=STSv1; ext.name_x-1=a:b/c?d; id=abc")]
    [InlineData("v=STSv1; id=abc; 9x=~")]
    public void Whitespace_around_separators_and_extension_fields_are_accepted(string record)
    {
        var result = MtaStsTxtRecord.Parse(record);

        Assert.True(result.IsValid, string.Join(" ", result.Errors.Select(e => e.Message)));
        Assert.Equal("abc", result.Value!.Id);
    }

    [Fact]
    public void Character_strings_of_one_record_are_joined_without_spaces()
    {
        var result = MtaStsTxtRecord.Parse(["v=STSv1; id=2016083", "1085700Z;"]);

        Assert.Equal("20160831085700Z", result.Value!.Id);
    }

    [Fact]
    public void A_repeated_id_keeps_the_first()
    {
        var result = MtaStsTxtRecord.Parse("v=STSv1; id=first; id=second");

        Assert.Equal("first", result.Value!.Id);
        Assert.Equal("duplicate-field", Assert.Single(result.Warnings).Id);
    }

    public static TheoryData<string?, string, string> BadRecords => new()
    {
        { null, "record-empty", "The _mta-sts record is empty; it must be 'v=STSv1; id=<id>'." },
        { "id=abc; v=STSv1", "record-version", "The _mta-sts record must begin with 'v=STSv1'; it begins with 'id=abc;'." },
        { " v=STSv1; id=abc", "record-version", "The _mta-sts record must begin with 'v=STSv1'; it begins with ' v=STSv'." },
        { "v=stsv1; id=abc", "record-version", "The _mta-sts record must begin with 'v=STSv1'; it begins with 'v=stsv1'." },
        { "v=STSv12; id=abc", "record-version", "In the _mta-sts record, 'v=STSv1' must be followed by ';'; found 'v=STSv12'." },
        { "v=STSv1", "id-missing", "The _mta-sts record has no 'id' field; it must be 'v=STSv1; id=<id>' with an id of 1 to 32 letters or digits." },
        { "v=STSv1; ID=abc", "id-missing", "The _mta-sts record has no 'id' field; it must be 'v=STSv1; id=<id>' with an id of 1 to 32 letters or digits." },
        { "v=STSv1; id=", "id-invalid", "The _mta-sts record's id '' must be 1 to 32 ASCII letters or digits." },
        { "v=STSv1; id=0123456789abcdef0123456789abcdef0", "id-invalid", "The _mta-sts record's id '0123456789abcdef0123456789abcdef0' must be 1 to 32 ASCII letters or digits." },
        { "v=STSv1; id=2016-08-31", "id-invalid", "The _mta-sts record's id '2016-08-31' must be 1 to 32 ASCII letters or digits." },
        { "v=STSv1; id=a b", "id-invalid", "The _mta-sts record's id 'a b' must be 1 to 32 ASCII letters or digits." },
        { "v=STSv1;; id=abc", "record-syntax", "The _mta-sts record has an empty field (two ';' with nothing between them)." },
        { "v=STSv1; id=abc; junk", "record-syntax", "The _mta-sts record has the field 'junk', which is not 'name=value' with a name of 1 to 32 letters, digits, '_', '-' or '.'." },
        { "v=STSv1; id=abc; ext=a=b", "record-syntax", "The _mta-sts record's field 'ext' has the value 'a=b'; extension values are visible ASCII characters other than ';' and '='." },
        { "v=STSv1; id=abcé", "record-not-ascii", "The _mta-sts record contains the non-ASCII character 'é' (U+00E9); the record must be US-ASCII." },
        { "v=STSv1; id=abc\n", "record-syntax", "The _mta-sts record contains the control character U+000A (line feed)." },
    };

    [Theory]
    [MemberData(nameof(BadRecords))]
    public void A_bad_record_is_refused_with_one_clear_error(string? record, string id, string message)
    {
        var result = MtaStsTxtRecord.Parse(record);

        Assert.Null(result.Value);
        var error = Assert.Single(result.Errors);
        Assert.Equal(id, error.Id);
        Assert.Equal(message, error.Message);
        Assert.Equal("RFC 8461 section 3.1", error.Section);
    }
}
