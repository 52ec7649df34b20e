using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Portal.Tests.Security;

/// <summary>
/// What a mutated body must get back: <see cref="Fields"/> empty means it may be accepted or refused for a reason that
/// is not about the body (state, role); otherwise a 400 whose <c>errors</c> name at least one of them. A
/// <see cref="Status"/> other than 400 (413 for an enormous body) is demanded as it is.
/// </summary>
public sealed record HostileBody(string Mutation, byte[] Bytes, IReadOnlyList<string> Fields, int Status = 400)
{
    public bool MustRefuse => Fields.Count > 0 || Status != 400;

    public string Preview()
    {
        var text = Encoding.UTF8.GetString(Bytes);
        var shown = string.Concat(text.Take(300).Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:X4}"));
        return text.Length > 300 ? $"{shown}... ({Bytes.Length} bytes)" : shown;
    }
}

/// <summary>
/// Makes hostile bodies from a valid one, deterministically from a seeded <see cref="Random"/>: nulls, wrong JSON types,
/// huge strings, unpaired surrogates, control characters, deep nesting, repeated keys, unknown fields, numbers out of
/// range, truncated or non-UTF-8 text, and a few of these at once. Each says which field a refusal must name.
/// </summary>
public sealed class HostileBodies(Random random, IReadOnlySet<string> nullablePaths, bool multilineStrings, int maxStringLength)
{
    /// <summary>Written as is by <see cref="Write"/>: numbers no .NET type holds, and strings with lone surrogates.</summary>
    private const string Raw = "\u0001raw:";

    private static readonly string[] ControlCharacters =
        ["\u0000", "\u0001", "\u0007", "\u0008", "\u000b", "\u000c", "\u001b", "\u007f", "\u0085", "\u009b", "\u2028", "\u2029", "\u202e", "\u2066", "\ufeff\u0000", "\uffff"];

    private static readonly string[] LineBreaks = ["\n", "\r", "\t", "\r\n"];

    private static readonly string[] BadNumbers =
        ["1e400", "-1e400", "99999999999999999999999999", "-99999999999999999999999999", "1.5", "-1", "2147483648", "9223372036854775808", "1e10", "-2147483649"];

    public HostileBody Next(JsonObject valid)
    {
        ArgumentNullException.ThrowIfNull(valid);
        var roll = random.Next(100);
        if (roll < 4)
        {
            return Truncated(valid);
        }

        if (roll < 6)
        {
            return WholeBody();
        }

        if (roll < 7)
        {
            return NotUtf8(valid);
        }

        if (roll < 8)
        {
            return Enormous(valid);
        }

        var body = (JsonObject)valid.DeepClone();
        var count = roll < 20 ? random.Next(2, 4) : 1;
        var names = new List<string>();
        var fields = new List<string>();
        var mayPass = true;
        var duplicates = new Dictionary<JsonObject, List<(string Name, JsonNode? Value)>>(ReferenceEqualityComparer.Instance);
        var touched = new List<string>();
        for (var i = 0; i < count; i++)
        {
            // Several mutations at once only ever refuse, each in its own part of the body, so none undoes another.
            var (name, field, refuse) = MutateOnce(body, duplicates, touched, benign: count == 1);
            names.Add(name);
            if (refuse)
            {
                fields.Add(field);
                mayPass = false;
            }
        }

        var text = Write(body, duplicates);
        return new HostileBody(string.Join(" + ", names), Encoding.UTF8.GetBytes(text), mayPass ? [] : fields);
    }

    private (string Name, string Field, bool Refuse) MutateOnce(
        JsonObject body, Dictionary<JsonObject, List<(string, JsonNode?)>> duplicates, List<string> touched, bool benign)
    {
        var slots = Slots(body, "")
            .Where(slot => !IsRaw(Get(slot.Parent, slot.Key, slot.Index)))
            .Where(slot => !touched.Any(t => slot.Path.StartsWith(t, StringComparison.Ordinal) || t.StartsWith(slot.Path, StringComparison.Ordinal)))
            .ToList();
        if (slots.Count == 0)
        {
            return ("nothing left to change", "$", false);
        }

        var (parent, key, index, path) = slots[random.Next(slots.Count)];
        touched.Add(path);
        var current = Get(parent, key, index);
        switch (random.Next(benign ? 11 : 9))
        {
            case 0:
                Set(parent, key, index, null);
                return ("null at " + path, path, index is not null || !nullablePaths.Contains(path));
            case 1:
                Set(parent, key, index, WrongType(current));
                return ("wrong type at " + path, path, true);
            case 2:
                Set(parent, key, index, JsonValue.Create(RandomText(random.Next(maxStringLength + 1, maxStringLength + 12_000))));
                return ("huge string at " + path, path, true);
            case 3:
                var surrogate = random.Next(2) == 0 ? "\\ud800" : "\\udfff";
                Set(parent, key, index, JsonValue.Create(Raw + "\"" + Escape(Insert(StringOf(current), "\u0002")).Replace("\\u0002", surrogate, StringComparison.Ordinal) + "\""));
                return ("lone surrogate at " + path, path, true);
            case 4:
                var multiline = benign && multilineStrings && random.Next(2) == 0;
                var inserted = multiline ? LineBreaks[random.Next(LineBreaks.Length)] : ControlCharacters[random.Next(ControlCharacters.Length)];
                Set(parent, key, index, JsonValue.Create(Insert(StringOf(current), inserted)));
                return ($"U+{(int)inserted[0]:X4} at {path}", path, !multiline || !IsString(current));
            case 5:
                Set(parent, key, index, Nested(random.Next(3) switch { 0 => 20, 1 => 200, _ => 3000 }));
                return ("deep nesting at " + path, "$", true);
            case 6:
                if (index is null)
                {
                    Duplicate(duplicates, (JsonObject)parent, key!, current);
                    return ("repeated key " + path, path, true);
                }

                goto case 7;
            case 7:
                if (index is not null && current is not JsonObject)
                {
                    goto case 0;
                }

                var target = index is null ? (JsonObject)parent : (JsonObject)current!;
                var targetPath = ReferenceEquals(target, parent) ? Parent(path) : path;
                var unknown = "zz" + random.Next(1000).ToString(CultureInfo.InvariantCulture);
                if (target.ContainsKey(unknown))
                {
                    goto case 0;
                }

                target[unknown] = random.Next(2) == 0 ? JsonValue.Create("x") : new JsonObject { ["a"] = 1 };
                var unknownPath = targetPath.Length == 0 ? unknown : targetPath + "." + unknown;
                return ("unknown field " + unknownPath, unknownPath, true);
            case 8:
                Set(parent, key, index, JsonValue.Create(Raw + BadNumbers[random.Next(BadNumbers.Length)]));
                return ("number out of range at " + path, path, true);
            case 9:
                // The right kind of value with text a person might type: may be accepted.
                Set(parent, key, index, current is JsonValue v && v.TryGetValue<string>(out var s) ? JsonValue.Create(s + "x") : current?.DeepClone());
                return ("edited " + path, path, false);
            default:
                if (index is null && parent is JsonObject owner && key is not null)
                {
                    owner.Remove(key);
                    return ("removed " + path, path, false);
                }

                Set(parent, key, index, Nested(2));
                return ("array in array at " + path, path, true);
        }
    }

    private HostileBody Truncated(JsonObject valid)
    {
        var text = Write(valid, null);
        var cut = random.Next(1, text.Length - 1);
        return new("truncated at " + cut.ToString(CultureInfo.InvariantCulture), Encoding.UTF8.GetBytes(text[..cut]), ["$"]);
    }

    private HostileBody WholeBody()
    {
        string[] bodies = ["null", "[]", "[null]", "42", "\"text\"", "true", "{\"a\":", "\u0000", "{}{}", "{\"kind\":\"site\"} extra", "// comment\n{}", "{'a':1}", "{\"a\":1,}"];
        var body = bodies[random.Next(bodies.Length)];
        return new("whole body " + body, Encoding.UTF8.GetBytes(body), body == "[null]" ? ["$[0]", "$"] : ["$"]);
    }

    private HostileBody NotUtf8(JsonObject valid)
    {
        var bytes = Encoding.UTF8.GetBytes(Write(valid, null)).ToList();
        bytes.Insert(random.Next(1, bytes.Count - 1), random.Next(2) == 0 ? (byte)0xFF : (byte)0xC3);
        return new("invalid UTF-8", [.. bytes], ["$"]);
    }

    private HostileBody Enormous(JsonObject valid)
    {
        var body = (JsonObject)valid.DeepClone();
        body["zzPadding"] = new string('a', 300 * 1024);
        return new("enormous body", Encoding.UTF8.GetBytes(Write(body, null)), [], Status: 413);
    }

    /// <summary>Every place a value sits, down to the depth a valid body has (not into nesting a mutation added).</summary>
    private static IEnumerable<(JsonNode Parent, string? Key, int? Index, string Path)> Slots(JsonNode node, string path, int depth = 0)
    {
        if (depth > 4)
        {
            yield break;
        }

        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    var child = path.Length == 0 ? key : $"{path}.{key}";
                    yield return (obj, key, null, child);
                    if (value is not null)
                    {
                        foreach (var slot in Slots(value, child, depth + 1))
                        {
                            yield return slot;
                        }
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var child = $"{path}[{i}]";
                    yield return (array, null, i, child);
                    if (array[i] is { } value)
                    {
                        foreach (var slot in Slots(value, child, depth + 1))
                        {
                            yield return slot;
                        }
                    }
                }

                break;
        }
    }

    private static bool IsString(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out _);

    private static bool IsRaw(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) && s.StartsWith(Raw, StringComparison.Ordinal);

    private static JsonNode? Get(JsonNode parent, string? key, int? index) => index is { } i ? parent.AsArray()[i] : parent.AsObject()[key!];

    private static void Set(JsonNode parent, string? key, int? index, JsonNode? value)
    {
        if (index is { } i)
        {
            parent.AsArray()[i] = value;
        }
        else
        {
            parent.AsObject()[key!] = value;
        }
    }

    private static string Parent(string path)
    {
        var dot = path.LastIndexOf('.');
        var bracket = path.LastIndexOf('[');
        var cut = Math.Max(dot, bracket);
        return cut < 0 ? "" : path[..cut];
    }

    private JsonNode WrongType(JsonNode? current) => current switch
    {
        JsonObject => random.Next(2) == 0 ? new JsonArray(1, 2) : JsonValue.Create("an object was expected"),
        JsonArray => random.Next(2) == 0 ? new JsonObject { ["a"] = "b" } : JsonValue.Create(7),
        JsonValue v when v.TryGetValue<string>(out _) => random.Next(3) switch { 0 => JsonValue.Create(42), 1 => JsonValue.Create(true), _ => new JsonArray("x") },
        JsonValue v when v.TryGetValue<bool>(out _) => random.Next(2) == 0 ? JsonValue.Create("true") : JsonValue.Create(1),
        _ => random.Next(2) == 0 ? JsonValue.Create("12") : new JsonObject(),
    };

    private string StringOf(JsonNode? current) =>
        current is JsonValue v && v.TryGetValue<string>(out var s) ? s : RandomText(random.Next(1, 20));

    private string Insert(string text, string inserted)
    {
        var at = random.Next(text.Length + 1);
        return text[..at] + inserted + text[at..];
    }

    private string RandomText(int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-.*/= ;'";
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return builder.ToString();
    }

    private JsonNode Nested(int depth)
    {
        JsonNode node = JsonValue.Create(1);
        for (var i = 0; i < depth; i++)
        {
            node = random.Next(2) == 0 ? new JsonArray(node) : new JsonObject { ["a"] = node };
        }

        return node;
    }

    private void Duplicate(Dictionary<JsonObject, List<(string, JsonNode?)>> duplicates, JsonObject owner, string key, JsonNode? current)
    {
        if (!duplicates.TryGetValue(owner, out var extra))
        {
            extra = [];
            duplicates[owner] = extra;
        }

        extra.Add((key, random.Next(2) == 0 ? current?.DeepClone() : JsonValue.Create("second")));
    }

    /// <summary>JSON text with repeated keys and raw values, which <see cref="JsonNode"/> cannot write itself.</summary>
    public static string Write(JsonNode? node, Dictionary<JsonObject, List<(string Name, JsonNode? Value)>>? duplicates)
    {
        var builder = new StringBuilder();
        Write(builder, node, duplicates);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, JsonNode? node, Dictionary<JsonObject, List<(string Name, JsonNode? Value)>>? duplicates)
    {
        switch (node)
        {
            case null:
                builder.Append("null");
                break;
            case JsonObject obj:
                builder.Append('{');
                var first = true;
                var members = obj.Select(p => (p.Key, p.Value)).ToList();
                if (duplicates is not null && duplicates.TryGetValue(obj, out var extra))
                {
                    members.AddRange(extra);
                }

                foreach (var (key, value) in members)
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }

                    first = false;
                    builder.Append('"').Append(Escape(key)).Append("\":");
                    Write(builder, value, duplicates);
                }

                builder.Append('}');
                break;
            case JsonArray array:
                builder.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    Write(builder, array[i], duplicates);
                }

                builder.Append(']');
                break;
            case JsonValue value when value.TryGetValue<string>(out var s):
                if (s.StartsWith(Raw, StringComparison.Ordinal))
                {
                    builder.Append(s[Raw.Length..]);
                }
                else
                {
                    builder.Append('"').Append(Escape(s)).Append('"');
                }

                break;
            default:
                builder.Append(node.ToJsonString());
                break;
        }
    }

    /// <summary>Every character outside printable ASCII as a \u escape, so any UTF-16 text (even invalid) can be sent.</summary>
    private static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                < ' ' or > '~' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }
}
