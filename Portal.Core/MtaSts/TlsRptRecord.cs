using System.Text;
using Portal.Core.Text;

namespace Portal.Core.MtaSts;

/// <summary>
/// The SMTP TLS Reporting record at <c>_smtp._tls.&lt;domain&gt;</c> (RFC 8460 section 3):
/// <c>v=TLSRPTv1; rua=&lt;uri&gt;[,&lt;uri&gt;...]</c>, each URI <c>mailto:</c> or <c>https:</c>.
/// </summary>
public sealed record TlsRptRecord
{
    public const string Version = "v=TLSRPTv1";

    public TlsRptRecord(IEnumerable<string> rua)
    {
        ArgumentNullException.ThrowIfNull(rua);
        Rua = [.. rua];
    }

    /// <summary>Where reports go, in order.</summary>
    public IReadOnlyList<string> Rua
    {
        get;
        init => field = [.. value ?? throw new ArgumentNullException(nameof(value))];
    }

    /// <summary>Checks every URI and returns the record, or the errors naming each bad URI.</summary>
    public static RfcResult<TlsRptRecord> Create(IEnumerable<string>? rua)
    {
        var record = new TlsRptRecord(rua ?? []);
        var errors = new List<RfcFinding>();
        record.Check(errors);
        return RfcResult<TlsRptRecord>.From(record, errors, []);
    }

    /// <summary>The record's text, <c>v=TLSRPTv1; rua=uri1,uri2</c>.</summary>
    /// <exception cref="InvalidOperationException">A URI is one <see cref="Create"/> would refuse.</exception>
    public string Serialize()
    {
        var errors = new List<RfcFinding>();
        Check(errors);
        return errors.Count == 0
            ? $"{Version}; rua={string.Join(",", Rua)}"
            : throw new InvalidOperationException("The TLS-RPT record cannot be published: " + string.Join(" ", errors.Select(e => e.Message)));
    }

    /// <summary>Reads a record given as the character-strings of one TXT record, joined without spaces.</summary>
    public static RfcResult<TlsRptRecord> Parse(IEnumerable<string> characterStrings)
    {
        ArgumentNullException.ThrowIfNull(characterStrings);
        return Parse(string.Concat(characterStrings));
    }

    /// <summary>
    /// Reads <c>v=TLSRPTv1; rua=...</c>: the record must start with <c>v=TLSRPTv1</c>, needs <c>rua</c> with one or
    /// more comma-separated <c>mailto:</c>/<c>https:</c> URIs (spaces around commas allowed), may carry extension
    /// fields (ignored), and keeps the first <c>rua</c> if it is repeated.
    /// </summary>
    public static RfcResult<TlsRptRecord> Parse(string? text)
    {
        var errors = new List<RfcFinding>();
        var warnings = new List<RfcFinding>();
        if (string.IsNullOrEmpty(text))
        {
            errors.Add(new("record-empty", "The _smtp._tls record is empty; it must be 'v=TLSRPTv1; rua=<uri>'.", Sections.TlsRpt));
            return RfcResult<TlsRptRecord>.From(null, errors, warnings);
        }

        var fields = RecordFields.Split(text, Version, Sections.TlsRpt, "_smtp._tls", errors);
        if (fields is null)
        {
            return RfcResult<TlsRptRecord>.From(null, errors, warnings);
        }

        TlsRptRecord? record = null;
        foreach (var (name, value) in fields)
        {
            if (name == "rua")
            {
                if (record is not null)
                {
                    warnings.Add(new("duplicate-field", "The _smtp._tls record repeats 'rua'; the first is used.", Sections.TlsRpt));
                    continue;
                }

                record = new TlsRptRecord(value.Split(',').Select(uri => uri.Trim(' ', '\t')));
                record.Check(errors);
            }
            else if (!RecordFields.IsExtensionValue(value))
            {
                errors.Add(new("record-syntax", $"The _smtp._tls record's field '{name}' has the value {UserText.Quote(value)}; extension values are visible ASCII characters other than ';' and '='.", Sections.TlsRpt));
            }
        }

        if (record is null)
        {
            errors.Add(new("rua-missing", "The _smtp._tls record has no 'rua' field; it must name at least one mailto: or https: address for reports.", Sections.TlsRpt));
        }

        return RfcResult<TlsRptRecord>.From(record, errors, warnings);
    }

    public bool Equals(TlsRptRecord? other) => other is not null && Rua.SequenceEqual(other.Rua, StringComparer.Ordinal);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var uri in Rua)
        {
            hash.Add(uri, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Rua = [").Append(string.Join(", ", Rua)).Append(']');
        return true;
    }

    private void Check(List<RfcFinding> errors)
    {
        if (Rua.Count == 0)
        {
            errors.Add(new("rua-missing", "The TLS-RPT record needs at least one 'rua' address (mailto: or https:).", Sections.TlsRpt));
        }

        foreach (var uri in Rua)
        {
            var problem = UriProblem(uri ?? "");
            if (problem is not null)
            {
                errors.Add(new("rua-invalid", $"The 'rua' URI {UserText.Quote(uri ?? "")} {problem}.", Sections.TlsRpt));
            }
        }
    }

    /// <summary>
    /// RFC 8460 section 3 takes <c>URI</c> from RFC 3986 and requires commas, exclamation points and semicolons inside
    /// a URI to be percent-encoded: unlike DMARC's <c>rua</c>, TLS-RPT has no <c>!size</c> suffix, so a bare <c>!</c>
    /// is an error rather than a size limit.
    /// </summary>
    private static string? UriProblem(string uri)
    {
        if (uri.Length == 0)
        {
            return "is empty (look for a stray comma)";
        }

        foreach (var c in uri)
        {
            switch (c)
            {
                case '!':
                    return "contains '!', which must be written %21; TLS-RPT has no size limit suffix like DMARC's 'uri!10m'";
                case ',':
                    return "contains ',', which must be written %2C (a comma separates URIs)";
                case ';':
                    return "contains ';', which must be written %3B (a semicolon separates fields)";
                case > '~':
                    return $"contains the non-ASCII character {UserText.Describe(c)}; percent-encode it or use the A-label (punycode) form of the domain";
                case <= ' ':
                    return "contains " + (c == ' ' ? "a space" : UserText.Describe(c));
                case '"' or '<' or '>' or '\\' or '^' or '`' or '{' or '|' or '}':
                    return $"contains {UserText.Describe(c)}, which is not allowed in a URI";
            }
        }

        var colon = uri.IndexOf(':');
        var scheme = colon < 0 ? "" : uri[..colon].ToLowerInvariant();
        return scheme switch
        {
            "mailto" => MailtoProblem(uri[(colon + 1)..]),
            "https" => HttpsProblem(uri),
            "" => "has no scheme; write 'mailto:reports@example.com' or 'https://reports.example.com/path'",
            _ => $"uses the scheme '{uri[..colon]}'; TLS-RPT accepts only mailto: and https:",
        };
    }

    private static string? MailtoProblem(string address)
    {
        var query = address.IndexOf('?');
        var mailbox = query < 0 ? address : address[..query];
        var at = mailbox.LastIndexOf('@');
        if (at <= 0 || at == mailbox.Length - 1 || mailbox.IndexOf('@') != at)
        {
            return "is not a mailto: URI with one address of the form name@domain";
        }

        var domain = mailbox[(at + 1)..];
        var problem = HostNames.Problem(domain);
        return problem is null ? null : $"has the mail domain {UserText.Quote(domain)}, which {problem}";
    }

    private static string? HttpsProblem(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || !uri.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return "is not an absolute https:// URL";
        }

        var problem = HostNames.Problem(parsed.IdnHost);
        return problem is null ? null : $"has the host {UserText.Quote(parsed.IdnHost)}, which {problem}";
    }
}
