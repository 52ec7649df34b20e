using System.Globalization;
using Portal.Core.Text;

namespace Portal.Core.Headers;

/// <summary>
/// The CSP Level 3 grammar (W3C Content Security Policy Level 3, section 2.2 "Policies" and 2.3.1 "Source Lists"),
/// plus the directives added by Upgrade Insecure Requests and Trusted Types. Stricter than browsers in a few places
/// on purpose: an unknown or repeated directive, an empty source list, an unquoted keyword such as <c>self</c>, or a
/// single quote inside a URL path is refused, because each is far more often a mistake than an intent.
/// </summary>
internal static class CspSyntax
{
    private enum ValueKind
    {
        SourceList,
        AncestorSourceList,
        NoValue,
        Sandbox,
        ReportUri,
        ReportTo,
        RequireTrustedTypesFor,
        TrustedTypes,
        Webrtc,
    }

    private static readonly Dictionary<string, ValueKind> KnownDirectives = new(StringComparer.Ordinal)
    {
        ["child-src"] = ValueKind.SourceList,
        ["connect-src"] = ValueKind.SourceList,
        ["default-src"] = ValueKind.SourceList,
        ["font-src"] = ValueKind.SourceList,
        ["frame-src"] = ValueKind.SourceList,
        ["img-src"] = ValueKind.SourceList,
        ["manifest-src"] = ValueKind.SourceList,
        ["media-src"] = ValueKind.SourceList,
        ["object-src"] = ValueKind.SourceList,
        ["script-src"] = ValueKind.SourceList,
        ["script-src-elem"] = ValueKind.SourceList,
        ["script-src-attr"] = ValueKind.SourceList,
        ["style-src"] = ValueKind.SourceList,
        ["style-src-elem"] = ValueKind.SourceList,
        ["style-src-attr"] = ValueKind.SourceList,
        ["worker-src"] = ValueKind.SourceList,
        ["base-uri"] = ValueKind.SourceList,
        ["form-action"] = ValueKind.SourceList,
        ["frame-ancestors"] = ValueKind.AncestorSourceList,
        ["sandbox"] = ValueKind.Sandbox,
        ["report-uri"] = ValueKind.ReportUri,
        ["report-to"] = ValueKind.ReportTo,
        ["webrtc"] = ValueKind.Webrtc,
        ["upgrade-insecure-requests"] = ValueKind.NoValue,
        ["require-trusted-types-for"] = ValueKind.RequireTrustedTypesFor,
        ["trusted-types"] = ValueKind.TrustedTypes,
    };

    private static readonly HashSet<string> ObsoleteDirectives = new(StringComparer.Ordinal)
    {
        "block-all-mixed-content", "plugin-types", "prefetch-src", "navigate-to", "referrer", "reflected-xss",
        "disown-opener", "require-sri-for", "policy-uri",
    };

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "self", "unsafe-inline", "unsafe-eval", "strict-dynamic", "unsafe-hashes", "report-sample",
        "unsafe-allow-redirects", "wasm-unsafe-eval", "inline-speculation-rules",
    };

    private static readonly HashSet<string> SandboxTokens = new(StringComparer.Ordinal)
    {
        "allow-downloads", "allow-forms", "allow-modals", "allow-orientation-lock", "allow-pointer-lock",
        "allow-popups", "allow-popups-to-escape-sandbox", "allow-presentation", "allow-same-origin",
        "allow-scripts", "allow-top-navigation", "allow-top-navigation-by-user-activation",
        "allow-top-navigation-to-custom-protocols",
    };

    private static readonly string[] HashAlgorithms = ["sha256", "sha384", "sha512"];

    public static CspParseResult Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Refuse(["The Content-Security-Policy is empty; write at least one directive, e.g. default-src 'self'."]);
        }

        if (text.Length > ContentSecurityPolicy.MaxLength)
        {
            return Refuse([$"The Content-Security-Policy is {text.Length} characters long; at most {ContentSecurityPolicy.MaxLength} are allowed."]);
        }

        var errors = CharacterErrors(text, "The Content-Security-Policy");
        if (errors.Count > 0)
        {
            return Refuse(errors);
        }

        var directives = new List<(string, IReadOnlyList<string>)>();
        foreach (var part in text.Split(';'))
        {
            var tokens = part.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length > 0)
            {
                directives.Add((tokens[0], tokens[1..]));
            }
        }

        if (directives.Count == 0)
        {
            return Refuse(["The Content-Security-Policy has no directives; write at least one, e.g. default-src 'self'."]);
        }

        return Validate(directives);
    }

    public static CspParseResult Create(IEnumerable<CspDirective> directives)
    {
        var errors = new List<string>();
        var list = new List<(string, IReadOnlyList<string>)>();
        foreach (var directive in directives)
        {
            var name = directive?.Name ?? "";
            var tokens = directive?.Sources ?? [];
            errors.AddRange(TokenErrors(name, $"The directive name {UserText.Quote(name)}"));
            foreach (var value in tokens)
            {
                errors.AddRange(TokenErrors(value ?? "", $"The value {UserText.Quote(value ?? "")} of '{name}'"));
            }

            list.Add((name, tokens));
        }

        if (errors.Count > 0)
        {
            return Refuse(errors);
        }

        if (list.Count == 0)
        {
            return Refuse(["The Content-Security-Policy has no directives; write at least one, e.g. default-src 'self'."]);
        }

        var result = Validate(list);
        if (result.Policy is not null && Join(result.Policy.Directives).Length > ContentSecurityPolicy.MaxLength)
        {
            return Refuse([$"The Content-Security-Policy would be {Join(result.Policy.Directives).Length} characters long; at most {ContentSecurityPolicy.MaxLength} are allowed."]);
        }

        return result;
    }

    /// <summary>A value built in code must be one token: the characters <see cref="Parse"/> refuses, plus spaces and ';'.</summary>
    private static List<string> TokenErrors(string value, string subject)
    {
        var errors = CharacterErrors(value, subject);
        if (errors.Count == 0 && (value.Length == 0 || value.Contains(' ', StringComparison.Ordinal) || value.Contains(';', StringComparison.Ordinal)))
        {
            errors.Add($"{subject} is empty or contains a space or ';'; give each source as its own value.");
        }

        return errors;
    }

    public static string Join(IEnumerable<CspDirective> directives) =>
        string.Join("; ", directives.Select(d => d.Sources.Count == 0 ? d.Name : d.Name + " " + string.Join(" ", d.Sources)));

    private static CspParseResult Refuse(IReadOnlyList<string> errors) => new(null, errors);

    /// <summary>
    /// The characters that could break out of a header, a JSON or YAML string or a second policy are refused before
    /// anything is tokenised, each kind once, with its position so the person can find it.
    /// </summary>
    private static List<string> CharacterErrors(string text, string subject)
    {
        var errors = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var position = i + 1;
            (string Kind, string Message)? problem = c switch
            {
                '\n' or '\r' => ("newline", $"{subject} contains a line break ({UserText.Describe(c)}) at position {position}; a header value must be on one line."),
                < ' ' or (char)0x7F => ("control", $"{subject} contains the control character {UserText.Describe(c)} at position {position}; separate values with spaces only."),
                > '~' => ("non-ascii", $"{subject} contains the non-ASCII character {UserText.Describe(c)} at position {position}; CSP is ASCII, so write host names in their A-label (punycode) form."),
                ',' => ("comma", $"{subject} contains a comma at position {position}; a comma starts a second policy, so separate directives with ';' instead."),
                '"' => ("double-quote", $"{subject} contains a double quote at position {position}; keywords are written in single quotes, e.g. 'self'."),
                '\\' => ("backslash", $"{subject} contains a backslash at position {position}, which no CSP value uses."),
                _ => null,
            };

            if (problem is { } p && seen.Add(p.Kind))
            {
                errors.Add(p.Message);
            }
        }

        return errors;
    }

    private static CspParseResult Validate(IReadOnlyList<(string Name, IReadOnlyList<string> Tokens)> directives)
    {
        var errors = new List<string>();
        var result = new List<CspDirective>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (rawName, tokens) in directives)
        {
            var name = rawName.ToLowerInvariant();
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                errors.Add($"{UserText.Quote(rawName)} is not a directive name; a directive starts with a name such as default-src or script-src.");
                continue;
            }

            if (!KnownDirectives.TryGetValue(name, out var kind))
            {
                errors.Add(ObsoleteDirectives.Contains(name)
                    ? $"The directive '{name}' is obsolete and not part of CSP Level 3; remove it."
                    : $"The directive {UserText.Quote(name)} is not a CSP Level 3 directive; check its spelling (e.g. default-src, script-src, frame-ancestors).");
                continue;
            }

            if (!seen.Add(name))
            {
                errors.Add($"The directive '{name}' appears more than once; browsers use only the first, so merge their values into one.");
                continue;
            }

            var canonical = new List<string>(tokens.Count);
            var before = errors.Count;
            CheckValues(name, kind, tokens, canonical, errors);
            if (errors.Count == before)
            {
                result.Add(new CspDirective(name, canonical));
            }
        }

        return errors.Count > 0 ? Refuse(errors) : new CspParseResult(new ContentSecurityPolicy(result), []);
    }

    private static void CheckValues(string name, ValueKind kind, IReadOnlyList<string> tokens, List<string> canonical, List<string> errors)
    {
        switch (kind)
        {
            case ValueKind.SourceList:
            case ValueKind.AncestorSourceList:
                CheckSourceList(name, kind == ValueKind.AncestorSourceList, tokens, canonical, errors);
                break;

            case ValueKind.NoValue:
                if (tokens.Count > 0)
                {
                    errors.Add($"The directive '{name}' takes no value; found {UserText.Quote(string.Join(" ", tokens))}.");
                }

                break;

            case ValueKind.Sandbox:
                foreach (var token in tokens)
                {
                    var lower = token.ToLowerInvariant();
                    if (SandboxTokens.Contains(lower))
                    {
                        canonical.Add(lower);
                    }
                    else
                    {
                        errors.Add($"In 'sandbox', {UserText.Quote(token)} is not a sandbox flag; flags are allow-forms, allow-scripts, allow-same-origin, allow-popups and the like.");
                    }
                }

                break;

            case ValueKind.ReportUri:
                if (tokens.Count == 0)
                {
                    errors.Add("The directive 'report-uri' needs at least one URL.");
                }

                foreach (var token in tokens)
                {
                    if (token.All(IsReportUriChar))
                    {
                        canonical.Add(token);
                    }
                    else
                    {
                        errors.Add($"In 'report-uri', {UserText.Quote(token)} is not a URL; percent-encode quotes and other special characters.");
                    }
                }

                break;

            case ValueKind.ReportTo:
                if (tokens.Count == 1 && tokens[0].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                {
                    canonical.Add(tokens[0]);
                }
                else
                {
                    errors.Add("The directive 'report-to' needs exactly one endpoint name made of letters, digits, '-', '_' or '.'.");
                }

                break;

            case ValueKind.RequireTrustedTypesFor:
                if (tokens.Count == 1 && string.Equals(tokens[0], "'script'", StringComparison.OrdinalIgnoreCase))
                {
                    canonical.Add("'script'");
                }
                else
                {
                    errors.Add("The directive 'require-trusted-types-for' takes exactly 'script' in single quotes.");
                }

                break;

            case ValueKind.TrustedTypes:
                CheckTrustedTypes(tokens, canonical, errors);
                break;

            case ValueKind.Webrtc:
                var value = tokens.Count == 1 ? tokens[0].ToLowerInvariant() : "";
                if (value is "'allow'" or "'block'")
                {
                    canonical.Add(value);
                }
                else
                {
                    errors.Add("The directive 'webrtc' takes exactly 'allow' or 'block' in single quotes.");
                }

                break;
        }
    }

    private static void CheckTrustedTypes(IReadOnlyList<string> tokens, List<string> canonical, List<string> errors)
    {
        foreach (var token in tokens)
        {
            var lower = token.ToLowerInvariant();
            if (lower is "'none'" or "'allow-duplicates'" or "*")
            {
                canonical.Add(lower);
            }
            else if (token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '#' or '=' or '_' or '/' or '@' or '.' or '%'))
            {
                canonical.Add(token);
            }
            else
            {
                errors.Add($"In 'trusted-types', {UserText.Quote(token)} is not a policy name, 'none', 'allow-duplicates' or '*'.");
            }
        }

        if (canonical.Contains("'none'") && canonical.Count > 1)
        {
            errors.Add("In 'trusted-types', 'none' cannot be combined with other values.");
        }
    }

    private static void CheckSourceList(string name, bool ancestors, IReadOnlyList<string> tokens, List<string> canonical, List<string> errors)
    {
        if (tokens.Count == 0)
        {
            errors.Add($"The directive '{name}' has no sources; write 'none' to allow nothing.");
            return;
        }

        foreach (var token in tokens)
        {
            var source = CanonicalSource(token, ancestors, out var problem);
            if (source is null)
            {
                errors.Add($"In '{name}', {UserText.Quote(token)} is not a valid source: {problem}.");
            }
            else
            {
                canonical.Add(source);
            }
        }

        if (canonical.Contains("'none'") && tokens.Count > 1)
        {
            errors.Add($"In '{name}', 'none' cannot be combined with other sources; remove 'none' or the others.");
        }
    }

    /// <summary>One source expression in canonical form, or null with the reason it is not one.</summary>
    private static string? CanonicalSource(string token, bool ancestors, out string problem)
    {
        problem = "";
        if (token.StartsWith('\''))
        {
            return QuotedSource(token, ancestors, out problem);
        }

        if (token.Contains('\'', StringComparison.Ordinal))
        {
            problem = "single quotes are only used around a whole keyword, nonce or hash, e.g. 'self'";
            return null;
        }

        var lower = token.ToLowerInvariant();
        if (Keywords.Contains(lower) || lower == "none" || lower.StartsWith("nonce-", StringComparison.Ordinal)
            || HashAlgorithms.Any(a => lower.StartsWith(a + "-", StringComparison.Ordinal)))
        {
            problem = $"write it in single quotes, as '{token}'; without them it names a host";
            return null;
        }

        if (token == "*")
        {
            return "*";
        }

        if (token.EndsWith(':') && IsScheme(token[..^1]))
        {
            return lower;
        }

        return HostSource(token, out problem);
    }

    private static string? QuotedSource(string token, bool ancestors, out string problem)
    {
        problem = "";
        if (token.Length < 3 || !token.EndsWith('\'') || token[1..^1].Contains('\'', StringComparison.Ordinal))
        {
            problem = "a keyword, nonce or hash is one word between two single quotes, e.g. 'self'";
            return null;
        }

        var inner = token[1..^1];
        var lower = inner.ToLowerInvariant();
        if (lower == "none" || lower == "self")
        {
            return $"'{lower}'";
        }

        if (ancestors)
        {
            problem = "frame-ancestors accepts only 'self', 'none', schemes and hosts";
            return null;
        }

        if (Keywords.Contains(lower))
        {
            return $"'{lower}'";
        }

        if (lower.StartsWith("nonce-", StringComparison.Ordinal))
        {
            var value = inner["nonce-".Length..];
            if (IsBase64Value(value))
            {
                return $"'nonce-{value}'";
            }

            problem = "a nonce is 'nonce-' followed by base64 characters";
            return null;
        }

        foreach (var algorithm in HashAlgorithms)
        {
            if (lower.StartsWith(algorithm + "-", StringComparison.Ordinal))
            {
                var value = inner[(algorithm.Length + 1)..];
                if (IsBase64Value(value))
                {
                    return $"'{algorithm}-{value}'";
                }

                problem = $"a hash is '{algorithm}-' followed by base64 characters";
                return null;
            }
        }

        problem = "it is not a CSP keyword ('self', 'unsafe-inline', 'strict-dynamic', ...), nonce or hash";
        return null;
    }

    /// <summary><c>host-source = [ scheme-part "://" ] host-part [ ":" port-part ] [ path-part ]</c>.</summary>
    private static string? HostSource(string token, out string problem)
    {
        problem = "";
        var rest = token;
        var prefix = "";
        var schemeEnd = rest.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            var scheme = rest[..schemeEnd];
            if (!IsScheme(scheme))
            {
                problem = $"{UserText.Quote(scheme)} is not a URL scheme";
                return null;
            }

            prefix = scheme.ToLowerInvariant() + "://";
            rest = rest[(schemeEnd + 3)..];
        }

        var hostEnd = rest.IndexOfAny([':', '/']);
        var host = hostEnd < 0 ? rest : rest[..hostEnd];
        if (!IsHost(host))
        {
            problem = "expected a keyword in single quotes ('self'), a scheme (https:), a host (example.com, *.example.com, https://cdn.example.com/path), a nonce or a hash";
            return null;
        }

        var canonical = prefix + host.ToLowerInvariant();
        rest = hostEnd < 0 ? "" : rest[hostEnd..];
        if (rest.StartsWith(':'))
        {
            var portEnd = rest.IndexOf('/');
            var port = portEnd < 0 ? rest[1..] : rest[1..portEnd];
            if (port != "*" && !(port.Length is > 0 and <= 5 && port.All(char.IsAsciiDigit) && int.Parse(port, CultureInfo.InvariantCulture) <= 65535))
            {
                problem = $"the port {UserText.Quote(port)} must be a number up to 65535 or '*'";
                return null;
            }

            canonical += ":" + port;
            rest = portEnd < 0 ? "" : rest[portEnd..];
        }

        if (rest.Length > 0)
        {
            if (!IsPath(rest))
            {
                problem = "the path may hold only letters, digits, '/', and - . _ ~ ! $ & ( ) * + = : @ or %XX escapes (percent-encode quotes)";
                return null;
            }

            canonical += rest;
        }

        return canonical;
    }

    /// <summary><c>host-part = "*" / [ "*." ] 1*host-char *( "." 1*host-char ) [ "." ]</c>, <c>host-char = ALPHA / DIGIT / "-"</c>.</summary>
    private static bool IsHost(string host)
    {
        if (host == "*")
        {
            return true;
        }

        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        if (name.EndsWith('.'))
        {
            name = name[..^1];
        }

        return name.Length > 0 && name.Split('.').All(label => label.Length > 0 && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
    }

    /// <summary>RFC 3986 <c>path-absolute</c>, without the single quote (a sub-delim the portal refuses) and never starting with <c>//</c>.</summary>
    private static bool IsPath(string path)
    {
        if (!path.StartsWith('/') || path.StartsWith("//", StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '%')
            {
                if (i + 2 >= path.Length || !char.IsAsciiHexDigit(path[i + 1]) || !char.IsAsciiHexDigit(path[i + 2]))
                {
                    return false;
                }

                i += 2;
                continue;
            }

            if (!(char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '.' or '_' or '~' or '!' or '$' or '&' or '(' or ')' or '*' or '+' or '=' or ':' or '@'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>RFC 3986 <c>scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )</c>.</summary>
    private static bool IsScheme(string scheme) =>
        scheme.Length > 0 && char.IsAsciiLetter(scheme[0])
        && scheme.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.');

    /// <summary><c>base64-value = 1*( ALPHA / DIGIT / "+" / "/" / "-" / "_" )*2( "=" )</c>.</summary>
    private static bool IsBase64Value(string value)
    {
        var body = value.TrimEnd('=');
        return body.Length > 0
            && value.Length - body.Length <= 2
            && body.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '-' or '_');
    }

    private static bool IsReportUriChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or ':' or '/' or '?' or '#' or '[' or ']' or '@'
            or '!' or '$' or '&' or '(' or ')' or '*' or '+' or '=' or '%';
}
