using Portal.Core.Text;

namespace Portal.Core.MtaSts;

/// <summary>
/// The TXT record at <c>_mta-sts.&lt;domain&gt;</c> that announces a policy (RFC 8461 section 3.1):
/// <c>v=STSv1; id=&lt;id&gt;</c>.
/// </summary>
public sealed record MtaStsTxtRecord(string Id)
{
    public const string Version = "v=STSv1";

    /// <summary>The record announcing <paramref name="policy"/>, with its content-derived <see cref="MtaStsPolicyId"/>.</summary>
    public static MtaStsTxtRecord For(MtaStsPolicy policy) => new(MtaStsPolicyId.For(policy));

    /// <summary>The record's text, <c>v=STSv1; id=&lt;id&gt;</c>.</summary>
    /// <exception cref="InvalidOperationException">The id is not 1 to 32 letters or digits.</exception>
    public string Serialize() =>
        MtaStsPolicyId.IsValid(Id)
            ? $"{Version}; id={Id}"
            : throw new InvalidOperationException("The MTA-STS record id must be 1 to 32 ASCII letters or digits.");

    /// <summary>
    /// Reads a record given as the character-strings of one TXT record; RFC 8461 section 3.1 says to join them
    /// without adding spaces.
    /// </summary>
    public static RfcResult<MtaStsTxtRecord> Parse(IEnumerable<string> characterStrings)
    {
        ArgumentNullException.ThrowIfNull(characterStrings);
        return Parse(string.Concat(characterStrings));
    }

    /// <summary>
    /// Reads <c>v=STSv1; id=...</c>: the record must start with <c>v=STSv1</c>, needs an <c>id</c> of 1 to 32 letters
    /// or digits, may carry extension fields (ignored), and keeps the first <c>id</c> if it is repeated.
    /// </summary>
    public static RfcResult<MtaStsTxtRecord> Parse(string? text)
    {
        var errors = new List<RfcFinding>();
        var warnings = new List<RfcFinding>();
        if (string.IsNullOrEmpty(text))
        {
            errors.Add(new("record-empty", "The _mta-sts record is empty; it must be 'v=STSv1; id=<id>'.", Sections.TxtRecord));
            return RfcResult<MtaStsTxtRecord>.From(null, errors, warnings);
        }

        var fields = RecordFields.Split(text, Version, Sections.TxtRecord, "_mta-sts", errors);
        if (fields is null)
        {
            return RfcResult<MtaStsTxtRecord>.From(null, errors, warnings);
        }

        string? id = null;
        foreach (var (name, value) in fields)
        {
            if (name == "id")
            {
                if (id is not null)
                {
                    warnings.Add(new("duplicate-field", $"The _mta-sts record repeats 'id'; the first ({UserText.Quote(id)}) is used.", Sections.Policy));
                    continue;
                }

                id = value;
                if (!MtaStsPolicyId.IsValid(value))
                {
                    errors.Add(new("id-invalid", $"The _mta-sts record's id {UserText.Quote(value)} must be 1 to 32 ASCII letters or digits.", Sections.TxtRecord));
                }
            }
            else if (!RecordFields.IsExtensionValue(value))
            {
                errors.Add(new("record-syntax", $"The _mta-sts record's field '{name}' has the value {UserText.Quote(value)}; extension values are visible ASCII characters other than ';' and '='.", Sections.TxtRecord));
            }
            else if (string.Equals(name, "id", StringComparison.OrdinalIgnoreCase))
            {
                warnings.Add(new("field-name-case", $"The _mta-sts record's field '{name}' is not 'id' because field names are case-sensitive, so it is ignored.", Sections.TxtRecord));
            }
        }

        if (id is null)
        {
            errors.Add(new("id-missing", "The _mta-sts record has no 'id' field; it must be 'v=STSv1; id=<id>' with an id of 1 to 32 letters or digits.", Sections.TxtRecord));
        }

        return RfcResult<MtaStsTxtRecord>.From(id is null ? null : new MtaStsTxtRecord(id), errors, warnings);
    }
}
