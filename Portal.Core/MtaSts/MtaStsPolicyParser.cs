using System.Globalization;
using System.Text;
using Portal.Core.Requests;
using Portal.Core.Text;

namespace Portal.Core.MtaSts;

/// <summary>
/// Reads an MTA-STS policy body as RFC 8461 section 3.2 defines it: lines ending in LF or CRLF, each
/// <c>name: value</c>; <c>version</c>, <c>mode</c> and <c>max_age</c> required, <c>mx</c> required unless the mode is
/// <c>none</c>; unknown fields ignored; for every field but <c>mx</c> the first occurrence wins. Never throws for bad
/// input: every problem becomes a finding.
/// </summary>
public static class MtaStsPolicyParser
{
    /// <summary>RFC 8461 section 3.3 suggests 64 kilobytes as the largest policy a sender reads.</summary>
    public const int MaxPolicyBytes = 64 * 1024;

    private const int MaxAgeMaxDigits = 10;
    private const int MaxFieldNameLength = 32;

    private static readonly string[] KnownFields = ["version", "mode", "max_age", "mx"];

    public static RfcResult<MtaStsPolicy> Parse(string? text)
    {
        var errors = new List<RfcFinding>();
        var warnings = new List<RfcFinding>();

        if (string.IsNullOrEmpty(text))
        {
            errors.Add(new("policy-empty", "The policy is empty; it needs at least 'version', 'mode' and 'max_age' lines.", Sections.Policy));
            return RfcResult<MtaStsPolicy>.From(null, errors, warnings);
        }

        var size = Encoding.UTF8.GetByteCount(text);
        if (size > MaxPolicyBytes)
        {
            errors.Add(new("policy-too-large", $"The policy is {size} bytes; policies larger than {MaxPolicyBytes} bytes (64 KiB) are refused.", Sections.PolicyFetch));
            return RfcResult<MtaStsPolicy>.From(null, errors, warnings);
        }

        var fields = new Dictionary<string, (string Value, int Line)>(StringComparer.Ordinal);
        var mx = new List<(string Value, int Line)>();
        string? firstField = null;

        var lineNumber = 0;
        foreach (var line in Lines(text))
        {
            lineNumber++;
            var field = ReadField(line, lineNumber, errors, warnings);
            if (field is not { } f)
            {
                continue;
            }

            firstField ??= f.Name;
            if (f.Name == "mx")
            {
                mx.Add((f.Value, lineNumber));
            }
            else if (Array.IndexOf(KnownFields, f.Name) >= 0)
            {
                if (fields.TryGetValue(f.Name, out var first))
                {
                    warnings.Add(new("duplicate-field", $"Line {lineNumber} repeats the '{f.Name}' field; the first value (line {first.Line}) is used and this one is ignored.", Sections.Policy));
                }
                else
                {
                    fields[f.Name] = (f.Value, lineNumber);
                }
            }
            else
            {
                var known = KnownFields.FirstOrDefault(k => string.Equals(k, f.Name, StringComparison.OrdinalIgnoreCase));
                if (known is not null)
                {
                    warnings.Add(new("field-name-case", $"Line {lineNumber}: {UserText.Quote(f.Name)} is not the field '{known}' because field names are case-sensitive, so it is ignored.", Sections.Policy));
                }

                // Any other name is an extension field, which RFC 8461 section 3.2 says to ignore.
            }
        }

        if (lineNumber == 0)
        {
            errors.Add(new("policy-empty", "The policy is empty; it needs at least 'version', 'mode' and 'max_age' lines.", Sections.Policy));
            return RfcResult<MtaStsPolicy>.From(null, errors, warnings);
        }

        CheckVersion(fields, firstField, errors, warnings);
        var mode = ReadMode(fields, errors);
        var maxAge = ReadMaxAge(fields, errors);

        if (mode is null || maxAge is null)
        {
            // Still report the mx problems, so one pass shows everything that needs fixing.
            foreach (var (value, line) in mx)
            {
                var problem = MtaStsMxPattern.Problem(value);
                if (problem is not null)
                {
                    errors.Add(new("mx-invalid", $"The 'mx' pattern {UserText.Quote(value)} on line {line} {problem}.", Sections.Policy));
                }
            }

            return RfcResult<MtaStsPolicy>.From(null, errors, warnings);
        }

        var policy = new MtaStsPolicy(mode.Value, maxAge.Value, mx.Select(m => m.Value));
        policy.Check(errors, warnings, i => mx[i].Line);
        return RfcResult<MtaStsPolicy>.From(policy, errors, warnings);
    }

    /// <summary>Splits on LF, dropping a CR right before it (the ABNF's <c>LF / CRLF</c>); a final terminator is optional.</summary>
    private static IEnumerable<string> Lines(string text)
    {
        var start = 0;
        while (start < text.Length)
        {
            var lf = text.IndexOf('\n', start);
            if (lf < 0)
            {
                yield return text[start..];
                yield break;
            }

            var end = lf > start && text[lf - 1] == '\r' ? lf - 1 : lf;
            yield return text[start..end];
            start = lf + 1;
        }
    }

    private static (string Name, string Value)? ReadField(string line, int lineNumber, List<RfcFinding> errors, List<RfcFinding> warnings)
    {
        if (line.Length == 0)
        {
            warnings.Add(new("blank-line", $"Line {lineNumber} is blank; the policy grammar has no empty lines, so it is skipped.", Sections.Policy));
            return null;
        }

        foreach (var c in line)
        {
            if (c == '\r')
            {
                errors.Add(new("line-syntax", $"Line {lineNumber} contains a carriage return that is not followed by a line feed; lines end with LF or CRLF.", Sections.Policy));
                return null;
            }

            if ((c < 0x20 && c != '\t') || c == 0x7F)
            {
                errors.Add(new("line-syntax", $"Line {lineNumber} contains the control character {UserText.Describe(c)}.", Sections.Policy));
                return null;
            }
        }

        var colon = line.IndexOf(':');
        if (colon < 0)
        {
            errors.Add(new("line-syntax", $"Line {lineNumber} ({UserText.Quote(line)}) is not a 'name: value' field.", Sections.Policy));
            return null;
        }

        var name = line[..colon];
        if (!IsFieldName(name))
        {
            var hint = name.Trim(' ', '\t') != name
                ? "the name must start the line and be followed directly by ':'"
                : $"names are 1 to {MaxFieldNameLength} letters, digits, '_', '-' or '.', starting with a letter or digit";
            errors.Add(new("line-syntax", $"Line {lineNumber}: the field name {UserText.Quote(name)} is not valid; {hint}.", Sections.Policy));
            return null;
        }

        // sts-policy-field-delim = ":" *WSP, and each field may be followed by *WSP.
        var value = line[(colon + 1)..].Trim(' ', '\t');
        return (name, value);
    }

    /// <summary><c>sts-policy-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")</c>; the four known names fit it.</summary>
    private static bool IsFieldName(string name) =>
        name.Length is > 0 and <= MaxFieldNameLength
        && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    private static void CheckVersion(Dictionary<string, (string Value, int Line)> fields, string? firstField, List<RfcFinding> errors, List<RfcFinding> warnings)
    {
        if (!fields.TryGetValue("version", out var version))
        {
            errors.Add(new("version-missing", $"The policy has no 'version' field; it must contain 'version: {MtaStsPolicy.CurrentVersion}'.", Sections.Policy));
            return;
        }

        if (version.Value != MtaStsPolicy.CurrentVersion)
        {
            errors.Add(new("version-invalid", $"The 'version' field on line {version.Line} is {UserText.Quote(version.Value)}; it must be exactly '{MtaStsPolicy.CurrentVersion}'.", Sections.Policy));
            return;
        }

        // The grammar lets fields come in any order; the RFC's example and this portal put version first,
        // so a policy that does not is worth a look but is still valid.
        if (firstField != "version")
        {
            warnings.Add(new("version-not-first", $"The 'version' field is on line {version.Line}, not the first line; it is accepted, but policies conventionally start with it.", Sections.Policy));
        }
    }

    private static MtaStsMode? ReadMode(Dictionary<string, (string Value, int Line)> fields, List<RfcFinding> errors)
    {
        if (!fields.TryGetValue("mode", out var mode))
        {
            errors.Add(new("mode-missing", "The policy has no 'mode' field; it must be 'enforce', 'testing' or 'none'.", Sections.Policy));
            return null;
        }

        MtaStsMode? parsed = mode.Value switch
        {
            "enforce" => MtaStsMode.Enforce,
            "testing" => MtaStsMode.Testing,
            "none" => MtaStsMode.None,
            _ => null,
        };

        if (parsed is null)
        {
            errors.Add(new("mode-invalid", $"The 'mode' field on line {mode.Line} is {UserText.Quote(mode.Value)}; it must be 'enforce', 'testing' or 'none' (lower case).", Sections.Policy));
        }

        return parsed;
    }

    private static long? ReadMaxAge(Dictionary<string, (string Value, int Line)> fields, List<RfcFinding> errors)
    {
        if (!fields.TryGetValue("max_age", out var maxAge))
        {
            errors.Add(new("max-age-missing", $"The policy has no 'max_age' field; it must give the seconds a sender may cache the policy, from 0 to {MtaStsPolicy.MaxMaxAge}.", Sections.Policy));
            return null;
        }

        // sts-policy-max-age-value = 1*10(DIGIT): no sign, no spaces, no exponent.
        var text = maxAge.Value;
        if (text.Length is 0 or > MaxAgeMaxDigits || !text.All(char.IsAsciiDigit))
        {
            errors.Add(new("max-age-invalid", $"The 'max_age' field on line {maxAge.Line} is {UserText.Quote(text)}; it must be a whole number of seconds written with 1 to {MaxAgeMaxDigits} digits.", Sections.Policy));
            return null;
        }

        var seconds = long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        if (seconds > MtaStsPolicy.MaxMaxAge)
        {
            errors.Add(MtaStsPolicy.MaxAgeTooLarge(text));
            return null;
        }

        return seconds;
    }
}
