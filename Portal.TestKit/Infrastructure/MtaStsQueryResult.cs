using System.Globalization;
using System.Text;

namespace Portal.Tests.Infrastructure;

/// <summary>The verdicts of <c>mta-sts-query</c> (postfix-mta-sts-resolver's <c>STSFetchResult</c>).</summary>
public enum MtaStsQueryStatus
{
    /// <summary>No valid <c>_mta-sts</c> TXT record: the domain has no policy.</summary>
    None,

    /// <summary>A valid record and policy.</summary>
    Valid,

    /// <summary>The policy could not be fetched or is invalid.</summary>
    FetchError,

    /// <summary>The record's id equals the known id given on the command line.</summary>
    NotChanged,
}

/// <summary>
/// What <c>mta-sts-query DOMAIN [KNOWN_ID]</c> printed, parsed from its Python tuple, for example
/// <c>(&lt;STSFetchResult.VALID: 1&gt;, ('id1', {'mx': ['mx.example.test'], 'version': 'STSv1', 'mode': 'enforce', 'max_age': 604800}))</c>.
/// The tool always exits 0, so this parse is the verdict.
/// </summary>
/// <param name="OtherFields">Policy keys other than version, mode, max_age and mx, as the tool kept them (it keeps the last value of a repeated key).</param>
public sealed record MtaStsQueryResult(
    MtaStsQueryStatus Status,
    string? PolicyId,
    string? Version,
    string? Mode,
    long? MaxAge,
    IReadOnlyList<string> Mx,
    IReadOnlyDictionary<string, string> OtherFields)
{
    /// <summary>What the tool logged on stderr (for example why a fetch failed); empty when parsed from stdout alone.</summary>
    public string Log { get; init; } = "";

    /// <summary>Parses the tool's standard output; throws <see cref="FormatException"/> for anything else.</summary>
    public static MtaStsQueryResult Parse(string standardOutput)
    {
        ArgumentNullException.ThrowIfNull(standardOutput);
        object? value;
        try
        {
            value = new PythonLiteralReader(standardOutput.Trim()).ReadToEnd();
        }
        catch (FormatException error)
        {
            throw new FormatException($"mta-sts-query printed something other than a result tuple ({error.Message}): {standardOutput}", error);
        }

        if (value is not List<object?> { Count: 2 } outer || outer[0] is not PythonEnumMember member || member.TypeName != "STSFetchResult")
        {
            throw new FormatException($"mta-sts-query printed an unexpected shape: {standardOutput}");
        }

        var status = member.Name switch
        {
            "NONE" => MtaStsQueryStatus.None,
            "VALID" => MtaStsQueryStatus.Valid,
            "FETCH_ERROR" => MtaStsQueryStatus.FetchError,
            "NOT_CHANGED" => MtaStsQueryStatus.NotChanged,
            _ => throw new FormatException($"Unknown STSFetchResult member '{member.Name}' in: {standardOutput}"),
        };

        if (outer[1] is null)
        {
            return new MtaStsQueryResult(status, null, null, null, null, [], new Dictionary<string, string>());
        }

        if (outer[1] is not List<object?> { Count: 2 } payload || payload[0] is not string id || payload[1] is not Dictionary<string, object?> policy)
        {
            throw new FormatException($"mta-sts-query printed an unexpected policy payload: {standardOutput}");
        }

        var mx = policy.TryGetValue("mx", out var mxValue) && mxValue is List<object?> mxList
            ? mxList.Select(m => m as string ?? throw new FormatException($"Non-string mx entry in: {standardOutput}")).ToList()
            : [];
        long? maxAge = policy.TryGetValue("max_age", out var maxAgeValue) switch
        {
            false => null,
            true when maxAgeValue is long number => number,
            _ => throw new FormatException($"max_age is not an integer in: {standardOutput}"),
        };
        var others = policy
            .Where(p => p.Key is not ("mx" or "max_age" or "version" or "mode"))
            .ToDictionary(p => p.Key, p => p.Value as string ?? Convert.ToString(p.Value, CultureInfo.InvariantCulture) ?? "", StringComparer.Ordinal);

        return new MtaStsQueryResult(
            status,
            id,
            policy.GetValueOrDefault("version") as string,
            policy.GetValueOrDefault("mode") as string,
            maxAge,
            mx,
            others);
    }
}

/// <summary>An enum member as Python prints it: <c>&lt;Type.NAME: value&gt;</c>.</summary>
internal sealed record PythonEnumMember(string TypeName, string Name, object? Value);

/// <summary>
/// Reads the Python literals <c>repr()</c> prints: str, int, None, True/False, tuples and lists (as lists), dicts,
/// and enum members. Strings keep every escape Python may print, so hostile policy text parses faithfully.
/// </summary>
internal sealed class PythonLiteralReader(string text)
{
    private int position;

    public object? ReadToEnd()
    {
        var value = ReadValue();
        SkipSpace();
        if (position != text.Length)
        {
            throw Error("unexpected text after the value");
        }

        return value;
    }

    private object? ReadValue()
    {
        SkipSpace();
        if (position >= text.Length)
        {
            throw Error("unexpected end");
        }

        var c = text[position];
        switch (c)
        {
            case '(':
                return ReadSequence('(', ')');
            case '[':
                return ReadSequence('[', ']');
            case '{':
                return ReadDictionary();
            case '\'' or '"':
                return ReadString();
            case '<':
                return ReadEnumMember();
        }

        if (c == '-' || char.IsAsciiDigit(c))
        {
            var start = position;
            position++;
            while (position < text.Length && char.IsAsciiDigit(text[position]))
            {
                position++;
            }

            return long.Parse(text.AsSpan(start, position - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        var word = ReadIdentifier();
        return word switch
        {
            "None" => null,
            "True" => true,
            "False" => false,
            _ => throw Error($"unknown word '{word}'"),
        };
    }

    private List<object?> ReadSequence(char open, char close)
    {
        Expect(open);
        var items = new List<object?>();
        SkipSpace();
        while (Peek() != close)
        {
            items.Add(ReadValue());
            SkipSpace();
            if (Peek() == ',')
            {
                position++;
                SkipSpace();
            }
            else if (Peek() != close)
            {
                throw Error($"expected ',' or '{close}'");
            }
        }

        position++;
        return items;
    }

    private Dictionary<string, object?> ReadDictionary()
    {
        Expect('{');
        var items = new Dictionary<string, object?>(StringComparer.Ordinal);
        SkipSpace();
        while (Peek() != '}')
        {
            if (ReadValue() is not string key)
            {
                throw Error("dictionary keys must be strings");
            }

            SkipSpace();
            Expect(':');
            items[key] = ReadValue();
            SkipSpace();
            if (Peek() == ',')
            {
                position++;
                SkipSpace();
            }
            else if (Peek() != '}')
            {
                throw Error("expected ',' or '}'");
            }
        }

        position++;
        return items;
    }

    private PythonEnumMember ReadEnumMember()
    {
        Expect('<');
        var qualified = ReadIdentifier();
        var dot = qualified.LastIndexOf('.');
        if (dot <= 0)
        {
            throw Error($"'{qualified}' is not Type.NAME");
        }

        SkipSpace();
        Expect(':');
        var value = ReadValue();
        SkipSpace();
        Expect('>');
        return new PythonEnumMember(qualified[..dot], qualified[(dot + 1)..], value);
    }

    private string ReadString()
    {
        var quote = text[position++];
        var result = new StringBuilder();
        while (true)
        {
            if (position >= text.Length)
            {
                throw Error("unterminated string");
            }

            var c = text[position++];
            if (c == quote)
            {
                return result.ToString();
            }

            if (c != '\\')
            {
                result.Append(c);
                continue;
            }

            if (position >= text.Length)
            {
                throw Error("unterminated escape");
            }

            var e = text[position++];
            switch (e)
            {
                case '\\': result.Append('\\'); break;
                case '\'': result.Append('\''); break;
                case '"': result.Append('"'); break;
                case 'n': result.Append('\n'); break;
                case 'r': result.Append('\r'); break;
                case 't': result.Append('\t'); break;
                case 'x': result.Append((char)ReadHex(2)); break;
                case 'u': result.Append((char)ReadHex(4)); break;
                case 'U': result.Append(char.ConvertFromUtf32(ReadHex(8))); break;
                default: throw Error($"unknown escape '\\{e}'");
            }
        }
    }

    private int ReadHex(int digits)
    {
        if (position + digits > text.Length
            || !int.TryParse(text.AsSpan(position, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            throw Error("bad hex escape");
        }

        position += digits;
        return value;
    }

    private string ReadIdentifier()
    {
        var start = position;
        while (position < text.Length && (char.IsAsciiLetterOrDigit(text[position]) || text[position] is '_' or '.'))
        {
            position++;
        }

        if (start == position)
        {
            throw Error("expected a value");
        }

        return text[start..position];
    }

    private void Expect(char c)
    {
        if (Peek() != c)
        {
            throw Error($"expected '{c}'");
        }

        position++;
    }

    private char Peek() => position < text.Length ? text[position] : throw Error("unexpected end");

    private void SkipSpace()
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }

    private FormatException Error(string what) => new($"{what} at position {position}");
}
