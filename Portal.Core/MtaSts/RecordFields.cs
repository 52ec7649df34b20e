using Portal.Core.Text;

namespace Portal.Core.MtaSts;

/// <summary>
/// The <c>v=...; name=value; ...</c> syntax shared by the <c>_mta-sts</c> record (RFC 8461 section 3.1) and the
/// <c>_smtp._tls</c> record (RFC 8460 section 3): the record starts with the version field, fields are separated by
/// <c>*WSP ";" *WSP</c>, an optional trailing separator is allowed, and extension fields are
/// <c>(ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".") "=" 1*(%x21-3A / %x3C / %x3E-7E)</c>.
/// </summary>
internal static class RecordFields
{
    private const int MaxNameLength = 32;

    /// <summary>Splits a record into its fields after the version, or reports why it cannot. Field values are not checked here.</summary>
    public static List<(string Name, string Value)>? Split(string record, string version, string section, string recordName, List<RfcFinding> errors)
    {
        foreach (var c in record)
        {
            if (c > 0x7E)
            {
                errors.Add(new("record-not-ascii", $"The {recordName} record contains the non-ASCII character {UserText.Describe(c)}; the record must be US-ASCII.", section));
                return null;
            }

            if ((c < 0x20 && c != '\t') || c == 0x7F)
            {
                errors.Add(new("record-syntax", $"The {recordName} record contains the control character {UserText.Describe(c)}.", section));
                return null;
            }
        }

        if (!record.StartsWith(version, StringComparison.Ordinal))
        {
            errors.Add(new("record-version", $"The {recordName} record must begin with '{version}'; it begins with {UserText.Quote(record.Length > version.Length ? record[..version.Length] : record)}.", section));
            return null;
        }

        var parts = record[version.Length..].Split(';');
        if (parts[0].Trim(' ', '\t').Length != 0)
        {
            errors.Add(new("record-version", $"In the {recordName} record, '{version}' must be followed by ';'; found {UserText.Quote(version + parts[0])}.", section));
            return null;
        }

        var fields = new List<(string, string)>();
        for (var i = 1; i < parts.Length; i++)
        {
            var part = parts[i].Trim(' ', '\t');
            if (part.Length == 0)
            {
                if (i == parts.Length - 1)
                {
                    break; // the optional trailing separator
                }

                errors.Add(new("record-syntax", $"The {recordName} record has an empty field (two ';' with nothing between them).", section));
                return null;
            }

            var equals = part.IndexOf('=');
            var name = equals < 0 ? part : part[..equals];
            if (equals < 0 || !IsName(name))
            {
                errors.Add(new("record-syntax", $"The {recordName} record has the field {UserText.Quote(part)}, which is not 'name=value' with a name of 1 to {MaxNameLength} letters, digits, '_', '-' or '.'.", section));
                return null;
            }

            fields.Add((name, part[(equals + 1)..]));
        }

        return fields;
    }

    /// <summary><c>1*(%x21-3A / %x3C / %x3E-7E)</c>: visible ASCII except ';' and '='.</summary>
    public static bool IsExtensionValue(string value) =>
        value.Length > 0 && value.All(c => c is >= '!' and <= '~' and not ';' and not '=');

    private static bool IsName(string name) =>
        name.Length is > 0 and <= MaxNameLength
        && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
}
