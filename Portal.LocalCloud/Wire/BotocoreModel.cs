using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Portal.LocalCloud.Wire;

/// <summary>
/// One AWS service's official API model (botocore's <c>service-2.json</c>, shipped in <c>Models/</c>). The
/// local cloud reads every request through it (operation, members, types, enums, required members, patterns)
/// and writes every answer through it, so neither side can drift from what AWS accepts and sends.
/// </summary>
public sealed class BotocoreModel
{
    private readonly JsonObject _shapes;
    private readonly Dictionary<string, Regex?> _patterns = new(StringComparer.Ordinal);

    private BotocoreModel(string service, JsonObject root)
    {
        Service = service;
        var metadata = root["metadata"]!.AsObject();
        Protocol = (string)metadata["protocol"]!;
        XmlNamespace = (string?)metadata["xmlNamespace"];
        _shapes = root["shapes"]!.AsObject();
        Operations = root["operations"]!.AsObject().ToDictionary(
            o => o.Key,
            o => new OperationModel(
                o.Key,
                (string)o.Value!["http"]!["method"]!,
                (string)o.Value!["http"]!["requestUri"]!,
                (string?)o.Value!["input"]?["shape"],
                (string?)o.Value!["output"]?["shape"],
                (string?)o.Value!["output"]?["resultWrapper"],
                (int?)o.Value!["http"]!["responseCode"] ?? 200),
            StringComparer.Ordinal);
    }

    public string Service { get; }

    public string Protocol { get; }

    public string? XmlNamespace { get; }

    public IReadOnlyDictionary<string, OperationModel> Operations { get; }

    /// <summary>The model shipped in this assembly (<c>Models/NOTICE.md</c>); refuses a version other than the one shipped.</summary>
    public static BotocoreModel Load(string service, string version)
    {
        var assembly = typeof(BotocoreModel).Assembly;
        using var stream = assembly.GetManifestResourceStream($"Models/{service}/service-2.json")
            ?? throw new InvalidOperationException($"No botocore model of {service} is embedded in {assembly.GetName().Name}.");
        var root = JsonNode.Parse(stream)!.AsObject();
        var shipped = (string?)root["metadata"]?["apiVersion"];
        return shipped == version
            ? new BotocoreModel(service, root)
            : throw new InvalidOperationException($"The embedded {service} model is API version {shipped}, not {version}.");
    }

    public JsonObject Shape(string name) => _shapes[name]?.AsObject() ?? throw new InvalidOperationException($"{Service}: no shape {name}");

    /// <summary>The member that is the raw body (an object's bytes), when a structure has one.</summary>
    public string? BlobPayload(string? shapeName)
    {
        if (shapeName is null || (string?)Shape(shapeName)["payload"] is not { } payload)
        {
            return null;
        }

        var member = Shape(shapeName)["members"]![payload]!;
        return (string?)Shape((string)member["shape"]!)["type"] is "blob" ? payload : null;
    }

    /// <summary>The member that is the body as text (PutBucketPolicy's policy document), when a structure has one.</summary>
    public string? StringPayload(string? shapeName)
    {
        if (shapeName is null || (string?)Shape(shapeName)["payload"] is not { } payload)
        {
            return null;
        }

        var member = Shape(shapeName)["members"]![payload]!;
        return (string?)Shape((string)member["shape"]!)["type"] is "string" ? payload : null;
    }

    /// <summary>Whether a structure has members that travel in the body rather than in the URI or headers.</summary>
    public bool HasBodyMembers(string shapeName) =>
        Shape(shapeName)["members"]!.AsObject().Any(m => m.Value!["location"] is null);

    // ---------------------------------------------------------------- query protocol input

    /// <summary>Reads a query-protocol form into a tree shaped by the operation's input; unknown keys are violations.</summary>
    public Dictionary<string, object?> ReadQuery(OperationModel operation, IReadOnlyDictionary<string, string> form, List<string> violations)
    {
        var used = new HashSet<string>(StringComparer.Ordinal) { "Action", "Version" };
        var tree = operation.Input is null ? [] : (Dictionary<string, object?>)ReadQueryValue(operation.Input, "", form, used)!;
        foreach (var key in form.Keys.Where(k => !used.Contains(k)))
        {
            violations.Add($"{operation.Name}: '{key}' is not a member of {operation.Input}");
        }

        return tree;
    }

    private object? ReadQueryValue(string shapeName, string prefix, IReadOnlyDictionary<string, string> form, HashSet<string> used)
    {
        var shape = Shape(shapeName);
        switch ((string)shape["type"]!)
        {
            case "structure":
                var result = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (name, member) in shape["members"]!.AsObject())
                {
                    var key = (prefix.Length == 0 ? "" : prefix + ".") + ((string?)member!["locationName"] ?? name);
                    var memberShape = (string)member["shape"]!;
                    var value = ReadQueryValue(memberShape, key, form, used);
                    if (value is not null)
                    {
                        result[name] = value;
                    }
                }

                return prefix.Length == 0 || result.Count > 0 ? result : null;
            case "list":
                var itemShape = (string)shape["member"]!["shape"]!;
                var flattened = (bool?)shape["flattened"] == true;
                var items = new List<object?>();
                if (form.TryGetValue(prefix, out var empty) && empty.Length == 0)
                {
                    used.Add(prefix);
                    return items;
                }

                for (var i = 1; ; i++)
                {
                    var itemKey = flattened ? $"{prefix}.{i}" : $"{prefix}.member.{i}";
                    var item = ReadQueryValue(itemShape, itemKey, form, used);
                    if (item is null)
                    {
                        break;
                    }

                    items.Add(item);
                }

                return items.Count > 0 ? items : null;
            case "map":
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (var i = 1; ; i++)
                {
                    var k = $"{prefix}.entry.{i}.key";
                    if (!form.TryGetValue(k, out var mapKey))
                    {
                        break;
                    }

                    used.Add(k);
                    map[mapKey] = ReadQueryValue((string)shape["value"]!["shape"]!, $"{prefix}.entry.{i}.value", form, used);
                }

                return map.Count > 0 ? map : null;
            default:
                if (form.TryGetValue(prefix, out var scalar))
                {
                    used.Add(prefix);
                    return scalar;
                }

                return null;
        }
    }

    // ---------------------------------------------------------------- REST input

    /// <summary>The operations whose method and URI template fit a request, best first (most literal query parts, then most required headers present).</summary>
    public IEnumerable<(OperationModel Operation, Dictionary<string, string> Labels)> MatchRest(string method, string rawPath, IReadOnlyDictionary<string, string> query, Func<string, bool> hasHeader)
    {
        var matches = new List<(OperationModel, Dictionary<string, string>, int)>();
        foreach (var op in Operations.Values.Where(o => o.Method == method))
        {
            var template = op.RequestUri.Split('?', 2);
            var labels = MatchPath(template[0], rawPath);
            if (labels is null)
            {
                continue;
            }

            var score = 0;
            var literalOk = true;
            if (template.Length > 1)
            {
                foreach (var part in template[1].Split('&'))
                {
                    var kv = part.Split('=', 2);
                    var present = query.TryGetValue(kv[0], out var actual) && (kv.Length == 1 || actual == kv[1]);
                    literalOk &= present;
                    score += 10;
                }
            }

            if (!literalOk)
            {
                continue;
            }

            if (op.Input is not null)
            {
                var input = Shape(op.Input);
                var required = input["required"]?.AsArray().Select(r => (string)r!).ToHashSet() ?? [];
                foreach (var (name, member) in input["members"]!.AsObject())
                {
                    if ((string?)member!["location"] == "header" && required.Contains(name))
                    {
                        score += hasHeader((string)member["locationName"]!) ? 5 : -100;
                    }
                }
            }

            matches.Add((op, labels, score));
        }

        return matches.OrderByDescending(m => m.Item3).Select(m => (m.Item1, m.Item2));
    }

    private static Dictionary<string, string>? MatchPath(string template, string rawPath)
    {
        var t = template.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var p = rawPath.Trim('/').Split('/', StringSplitOptions.None);
        if (rawPath.Trim('/').Length == 0)
        {
            p = [];
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < t.Length; i++)
        {
            if (t[i].StartsWith('{') && t[i].EndsWith("+}", StringComparison.Ordinal))
            {
                if (i >= p.Length)
                {
                    return null;
                }

                labels[t[i][1..^2]] = string.Join('/', p[i..].Select(Uri.UnescapeDataString));
                return labels;
            }

            if (i >= p.Length)
            {
                return null;
            }

            if (t[i].StartsWith('{'))
            {
                labels[t[i][1..^1]] = Uri.UnescapeDataString(p[i]);
            }
            else if (t[i] != p[i])
            {
                return null;
            }
        }

        return t.Length == p.Length ? labels : null;
    }

    /// <summary>Reads a REST request (URI labels, query string, headers, XML body) into a tree shaped by the operation's input.</summary>
    public Dictionary<string, object?> ReadRest(OperationModel operation, Dictionary<string, string> labels, IReadOnlyDictionary<string, string> query,
        Func<string, string?> header, XDocument? body, List<string> violations, byte[]? blob = null)
    {
        var tree = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (operation.Input is null)
        {
            return tree;
        }

        var input = Shape(operation.Input);
        var payload = (string?)input["payload"];
        var literalQuery = operation.RequestUri.Contains('?', StringComparison.Ordinal)
            ? operation.RequestUri.Split('?', 2)[1].Split('&').Select(p => p.Split('=')[0]).ToHashSet(StringComparer.Ordinal)
            : [];
        var knownQuery = new HashSet<string>(literalQuery, StringComparer.Ordinal);
        var bodyMembers = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (name, memberNode) in input["members"]!.AsObject())
        {
            var member = memberNode!.AsObject();
            var location = (string?)member["location"];
            var locationName = (string?)member["locationName"] ?? name;
            switch (location)
            {
                case "uri":
                    if (labels.TryGetValue(locationName, out var label))
                    {
                        tree[name] = label;
                    }

                    break;
                case "querystring":
                    knownQuery.Add(locationName);
                    if (query.TryGetValue(locationName, out var q))
                    {
                        tree[name] = q;
                    }

                    break;
                case "header":
                    if (header(locationName) is { } h)
                    {
                        // S3 asks for the copy source URL-encoded; its pattern describes the decoded value.
                        tree[name] = locationName == "x-amz-copy-source" ? Uri.UnescapeDataString(h) : h;
                    }

                    break;
                case "headers":
                case "statusCode":
                    break;
                default:
                    if (name == payload && blob is not null)
                    {
                        tree[name] = (string?)Shape((string)member["shape"]!)["type"] == "string" ? System.Text.Encoding.UTF8.GetString(blob) : blob;
                    }
                    else if (name == payload)
                    {
                        var shapeName = (string)member["shape"]!;
                        if ((string)Shape(shapeName)["type"]! == "structure")
                        {
                            if (body?.Root is { } root)
                            {
                                var expectedRoot = (string?)member["locationName"] ?? shapeName;
                                if (root.Name.LocalName != expectedRoot)
                                {
                                    violations.Add($"{operation.Name}: body root is <{root.Name.LocalName}>, the model says <{expectedRoot}>");
                                }

                                tree[name] = ReadXml(shapeName, root, violations, $"{operation.Name}.{name}");
                            }
                        }
                        else if (body is not null)
                        {
                            tree[name] = body.ToString();
                        }
                    }
                    else
                    {
                        bodyMembers[name] = member;
                    }

                    break;
            }
        }

        if (payload is null && bodyMembers.Count > 0 && body?.Root is { } structRoot)
        {
            var read = (Dictionary<string, object?>)ReadXml(operation.Input, structRoot, violations, operation.Name)!;
            foreach (var (k, v) in read)
            {
                tree[k] = v;
            }
        }

        foreach (var key in query.Keys.Where(k => !knownQuery.Contains(k) && k != "x-id"))
        {
            violations.Add($"{operation.Name}: query parameter '{key}' is not in the model");
        }

        return tree;
    }

    private object? ReadXml(string shapeName, XElement element, List<string> violations, string path)
    {
        var shape = Shape(shapeName);
        switch ((string)shape["type"]!)
        {
            case "structure":
                var result = new Dictionary<string, object?>(StringComparer.Ordinal);
                var members = shape["members"]!.AsObject();
                foreach (var child in element.Elements())
                {
                    var match = members.FirstOrDefault(m => ((string?)m.Value!["locationName"] ?? m.Key) == child.Name.LocalName);
                    if (match.Key is null)
                    {
                        violations.Add($"{path}: element <{child.Name.LocalName}> is not a member of {shapeName}");
                        continue;
                    }

                    var memberShape = (string)match.Value!["shape"]!;
                    if ((bool?)Shape(memberShape)["flattened"] == true)
                    {
                        var list = result.TryGetValue(match.Key, out var existing) && existing is List<object?> l ? l : [];
                        list.Add(ReadXml((string)Shape(memberShape)["member"]!["shape"]!, child, violations, $"{path}.{match.Key}"));
                        result[match.Key] = list;
                    }
                    else
                    {
                        result[match.Key] = ReadXml(memberShape, child, violations, $"{path}.{match.Key}");
                    }
                }

                return result;
            case "list":
                var itemName = (string?)shape["member"]!["locationName"] ?? "member";
                var itemShape = (string)shape["member"]!["shape"]!;
                var items = new List<object?>();
                foreach (var child in element.Elements())
                {
                    if (child.Name.LocalName != itemName)
                    {
                        violations.Add($"{path}: list item <{child.Name.LocalName}> should be <{itemName}>");
                    }

                    items.Add(ReadXml(itemShape, child, violations, path + "[]"));
                }

                return items;
            default:
                return element.Value;
        }
    }

    // ---------------------------------------------------------------- validation

    /// <summary>Required members, types, enums, lengths, ranges and patterns, as AWS checks a request.</summary>
    /// <remarks>
    /// Answers are checked for members, types and required members but not enums: AWS adds values to its answers
    /// before the models list them (stack events carry stack statuses such as REVIEW_IN_PROGRESS), and clients accept them.
    /// </remarks>
    public void Validate(string shapeName, object? value, string path, List<string> violations, bool answer = false)
    {
        var shape = Shape(shapeName);
        var type = (string)shape["type"]!;
        switch (type)
        {
            case "structure":
                if (value is not Dictionary<string, object?> dict)
                {
                    violations.Add($"{path}: expected a structure {shapeName}");
                    return;
                }

                foreach (var required in shape["required"]?.AsArray() ?? [])
                {
                    if (!dict.ContainsKey((string)required!))
                    {
                        violations.Add($"{path}: required member '{required}' is missing");
                    }
                }

                foreach (var (name, member) in dict)
                {
                    var m = shape["members"]![name];
                    if (m is null)
                    {
                        violations.Add($"{path}: '{name}' is not a member of {shapeName}");
                        continue;
                    }

                    Validate((string)m["shape"]!, member, $"{path}.{name}", violations, answer);
                }

                return;
            case "list":
                if (value is not List<object?> list)
                {
                    violations.Add($"{path}: expected a list {shapeName}");
                    return;
                }

                CheckRange(shape, list.Count, path + " (item count)", violations);
                foreach (var item in list)
                {
                    Validate((string)shape["member"]!["shape"]!, item, path + "[]", violations, answer);
                }

                return;
            case "map":
                if (value is not Dictionary<string, object?> map)
                {
                    violations.Add($"{path}: expected a map {shapeName}");
                    return;
                }

                foreach (var (_, v) in map)
                {
                    Validate((string)shape["value"]!["shape"]!, v, path + "{}", violations, answer);
                }

                return;
        }

        if (type == "blob" && value is byte[])
        {
            return;
        }

        var text = Scalar(value);
        if (text is null)
        {
            violations.Add($"{path}: expected a {type}, got {value?.GetType().Name ?? "nothing"}");
            return;
        }

        switch (type)
        {
            case "string":
                if (!answer && shape["enum"] is JsonArray values && !values.Any(v => (string)v! == text))
                {
                    violations.Add($"{path}: '{text}' is not one of {string.Join(", ", values.Select(v => (string)v!))}");
                }

                CheckRange(shape, text.Length, path + " (length)", violations);
                if (!answer && (string?)shape["pattern"] is { } pattern && Pattern(pattern) is { } regex && !regex.IsMatch(text))
                {
                    violations.Add($"{path}: '{Shorten(text)}' does not match the pattern {pattern}");
                }

                break;
            case "integer" or "long":
                if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
                {
                    violations.Add($"{path}: '{text}' is not an integer");
                }
                else
                {
                    CheckRange(shape, number, path, violations);
                }

                break;
            case "double" or "float":
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
                {
                    violations.Add($"{path}: '{text}' is not a number");
                }
                else
                {
                    CheckRange(shape, (long)Math.Ceiling(real), path, violations);
                }

                break;
            case "boolean":
                if (text is not ("true" or "false"))
                {
                    violations.Add($"{path}: '{text}' is not a boolean");
                }

                break;
            case "timestamp":
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
                {
                    violations.Add($"{path}: '{text}' is not a timestamp");
                }

                break;
        }
    }

    private static string? Scalar(object? value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
        _ => null,
    };

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";

    private static void CheckRange(JsonObject shape, long value, string path, List<string> violations)
    {
        if (shape["min"] is { } min && value < (long)min)
        {
            violations.Add($"{path}: {value} is below the minimum {min}");
        }

        if (shape["max"] is { } max && value > (long)max)
        {
            violations.Add($"{path}: {value} is above the maximum {max}");
        }
    }

    private const string CopySourcePattern = @"\/.+\/.+";

    private Regex? Pattern(string pattern)
    {
        lock (_patterns)
        {
            if (!_patterns.TryGetValue(pattern, out var regex))
            {
                try
                {
                    // The query-protocol services match a pattern against the whole value; S3's patterns are descriptive and unanchored.
                    var anchored = Protocol == "query" ? $"^(?:{pattern})$" : pattern;

                    // S3's CopySource pattern wants two slashes, but its own documentation (and S3) take bucket/key, which
                    // for an object at the bucket's root (index.html) has one: the SDK sends exactly that.
                    if (pattern == CopySourcePattern)
                    {
                        anchored = @".+\/.+";
                    }

                    regex = new Regex(anchored, RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
                }
                catch (ArgumentException)
                {
                    regex = null;
                }

                _patterns[pattern] = regex;
            }

            return regex;
        }
    }

    // ---------------------------------------------------------------- output

    /// <summary>Writes an output tree as XML elements per the model; a member the model lacks is a violation.</summary>
    public IEnumerable<XElement> WriteMembers(string shapeName, Dictionary<string, object?> value, XNamespace ns, List<string> violations, string path, bool skipLocated = false)
    {
        var shape = Shape(shapeName);
        var members = shape["members"]!.AsObject();
        Validate(shapeName, value, path, violations, answer: true);
        foreach (var (name, memberNode) in members)
        {
            if (!value.TryGetValue(name, out var memberValue) || memberValue is null)
            {
                continue;
            }

            if (skipLocated && memberNode!["location"] is not null)
            {
                continue;
            }

            var elementName = (string?)memberNode!["locationName"] ?? name;
            var memberShape = (string)memberNode["shape"]!;
            var memberShapeNode = Shape(memberShape);
            if ((string)memberShapeNode["type"]! == "list" && (bool?)memberShapeNode["flattened"] == true)
            {
                var itemName = (string?)memberNode["locationName"] ?? (string?)memberShapeNode["member"]!["locationName"] ?? name;
                foreach (var item in (List<object?>)memberValue)
                {
                    yield return WriteValue((string)memberShapeNode["member"]!["shape"]!, itemName, item, ns, violations, path + "." + name);
                }
            }
            else
            {
                yield return WriteValue(memberShape, elementName, memberValue, ns, violations, path + "." + name);
            }
        }
    }

    public XElement WriteValue(string shapeName, string elementName, object? value, XNamespace ns, List<string> violations, string path)
    {
        var shape = Shape(shapeName);
        switch ((string)shape["type"]!)
        {
            case "structure":
                return new XElement(ns + elementName, WriteMembers(shapeName, (Dictionary<string, object?>)value!, ns, violations, path).ToList());
            case "list":
                var itemName = (string?)shape["member"]!["locationName"] ?? "member";
                var itemShape = (string)shape["member"]!["shape"]!;
                return new XElement(ns + elementName, ((List<object?>)value!).Select(item => WriteValue(itemShape, itemName, item, ns, violations, path + "[]")).ToList());
            case "timestamp":
                return new XElement(ns + elementName, ((DateTimeOffset)value!).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            default:
                return new XElement(ns + elementName, Scalar(value));
        }
    }
}

/// <summary>The JSON protocols (<c>json</c>, as Service Quotas speaks it): a request body read into a tree, an answer written from one.</summary>
public static class BotocoreJson
{
    /// <summary>Objects become structures or maps, arrays lists, numbers long or double; the model's validation then checks the types.</summary>
    public static object? Read(JsonNode? node) => node switch
    {
        JsonObject o => o.ToDictionary(p => p.Key, p => Read(p.Value), StringComparer.Ordinal),
        JsonArray a => a.Select(Read).ToList(),
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        JsonValue v when v.TryGetValue<bool>(out var flag) => flag,
        JsonValue v when v.TryGetValue<long>(out var whole) => whole,
        JsonValue v when v.TryGetValue<double>(out var real) => real,
        _ => null,
    };

    /// <summary>An output tree as JSON per the model's shapes; timestamps as epoch seconds, as the JSON protocols send them.</summary>
    public static JsonNode? Write(BotocoreModel model, string shapeName, object? value)
    {
        ArgumentNullException.ThrowIfNull(model);
        var shape = model.Shape(shapeName);
        switch ((string)shape["type"]!)
        {
            case "structure":
                var result = new JsonObject();
                foreach (var (name, member) in shape["members"]!.AsObject())
                {
                    if (value is Dictionary<string, object?> d && d.TryGetValue(name, out var v) && v is not null)
                    {
                        result[name] = Write(model, (string)member!["shape"]!, v);
                    }
                }

                return result;
            case "list":
                return new JsonArray(((List<object?>)value!).Select(i => Write(model, (string)shape["member"]!["shape"]!, i)).ToArray());
            case "map":
                var map = new JsonObject();
                foreach (var (k, v) in (Dictionary<string, object?>)value!)
                {
                    map[k] = Write(model, (string)shape["value"]!["shape"]!, v);
                }

                return map;
            case "timestamp":
                return JsonValue.Create(((DateTimeOffset)value!).ToUnixTimeMilliseconds() / 1000.0);
            case "boolean":
                return JsonValue.Create((bool)value!);
            case "integer" or "long":
                return JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture));
            case "double" or "float":
                return JsonValue.Create(Convert.ToDouble(value, CultureInfo.InvariantCulture));
            default:
                return JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture));
        }
    }
}

public sealed record OperationModel(string Name, string Method, string RequestUri, string? Input, string? Output, string? ResultWrapper, int ResponseCode);
