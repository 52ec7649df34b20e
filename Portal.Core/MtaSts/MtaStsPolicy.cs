using System.Text;
using Portal.Core.Requests;
using Portal.Core.Text;

namespace Portal.Core.MtaSts;

/// <summary>
/// An MTA-STS policy (RFC 8461 section 3.2): what <c>https://mta-sts.&lt;domain&gt;/.well-known/mta-sts.txt</c> serves.
/// Build one with <see cref="Create"/> (or read one with <see cref="MtaStsPolicyParser.Parse"/>) so that every value
/// is checked; <see cref="Serialize"/> refuses a policy that bypassed those checks.
/// </summary>
public sealed record MtaStsPolicy
{
    /// <summary>The only policy version RFC 8461 defines.</summary>
    public const string CurrentVersion = "STSv1";

    /// <summary>The largest <c>max_age</c> RFC 8461 section 3.2 allows (about one year).</summary>
    public const long MaxMaxAge = 31_557_600;

    /// <summary>
    /// Lines end in CRLF. Section 3.2's prose calls the resource "CRLF-separated key/value pairs" while its ABNF
    /// (<c>sts-policy-term = LF / CRLF</c>) accepts either ending, so CRLF satisfies readers that follow either the
    /// prose or the grammar. The body ends with a terminator too, which the grammar's optional final
    /// <c>sts-policy-term</c> allows and which keeps every line the same shape.
    /// </summary>
    public const string LineTerminator = "\r\n";

    public MtaStsPolicy(MtaStsMode mode, long maxAge, IEnumerable<string> mx)
    {
        ArgumentNullException.ThrowIfNull(mx);
        Mode = mode;
        MaxAge = maxAge;
        Mx = [.. mx];
    }

    public MtaStsMode Mode { get; init; }

    /// <summary>Seconds a sender may cache the policy, 0..<see cref="MaxMaxAge"/>.</summary>
    public long MaxAge { get; init; }

    /// <summary>MX host patterns in the order they are served; see <see cref="MtaStsMxPattern"/>.</summary>
    public IReadOnlyList<string> Mx
    {
        get;
        init => field = [.. value ?? throw new ArgumentNullException(nameof(value))];
    }

    /// <summary>Always <see cref="CurrentVersion"/>; a policy with another version is refused when parsed.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Part of the policy's shape for callers that display or bind it.")]
    public string Version => CurrentVersion;

    /// <summary>Checks every value and returns the policy, or the errors that name each bad field.</summary>
    public static RfcResult<MtaStsPolicy> Create(MtaStsMode mode, long maxAge, IEnumerable<string>? mx)
    {
        var policy = new MtaStsPolicy(mode, maxAge, mx ?? []);
        var errors = new List<RfcFinding>();
        var warnings = new List<RfcFinding>();
        policy.Check(errors, warnings, lineOf: null);
        return RfcResult<MtaStsPolicy>.From(policy, errors, warnings);
    }

    /// <summary>Whether an MX host (an MX record's target) is allowed by any of this policy's patterns.</summary>
    public bool Matches(string mxHost) => Mx.Any(pattern => MtaStsMxPattern.Matches(pattern, mxHost));

    /// <summary>
    /// The exact policy body: <c>version</c>, <c>mode</c>, one <c>mx</c> line per pattern in order, then
    /// <c>max_age</c> (the order of RFC 8461's own example), each line ending in <see cref="LineTerminator"/>.
    /// The same policy always gives the same bytes, which is what <see cref="MtaStsPolicyId"/> relies on.
    /// </summary>
    /// <exception cref="InvalidOperationException">The policy holds a value <see cref="Create"/> would refuse.</exception>
    public string Serialize()
    {
        var errors = new List<RfcFinding>();
        Check(errors, [], lineOf: null);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(
                "The MTA-STS policy cannot be served: " + string.Join(" ", errors.Select(e => e.Message)));
        }

        var body = new StringBuilder();
        body.Append("version: ").Append(CurrentVersion).Append(LineTerminator);
        body.Append("mode: ").Append(ModeText(Mode)).Append(LineTerminator);
        foreach (var pattern in Mx)
        {
            body.Append("mx: ").Append(pattern).Append(LineTerminator);
        }

        body.Append("max_age: ").Append(MaxAge).Append(LineTerminator);
        return body.ToString();
    }

    public bool Equals(MtaStsPolicy? other) =>
        other is not null
        && Mode == other.Mode
        && MaxAge == other.MaxAge
        && Mx.SequenceEqual(other.Mx, StringComparer.Ordinal);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Mode);
        hash.Add(MaxAge);
        foreach (var pattern in Mx)
        {
            hash.Add(pattern, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Mode = ").Append(Mode)
            .Append(", MaxAge = ").Append(MaxAge)
            .Append(", Mx = [").Append(string.Join(", ", Mx)).Append(']');
        return true;
    }

    internal static string ModeText(MtaStsMode mode) => mode switch
    {
        MtaStsMode.Testing => "testing",
        MtaStsMode.Enforce => "enforce",
        MtaStsMode.None => "none",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown MTA-STS mode."),
    };

    /// <summary>
    /// The checks shared by <see cref="Create"/>, <see cref="Serialize"/> and the parser. <paramref name="lineOf"/>
    /// gives the policy line of the n-th mx pattern when the policy was parsed, so messages can point at it.
    /// </summary>
    internal void Check(List<RfcFinding> errors, List<RfcFinding> warnings, Func<int, int>? lineOf)
    {
        if (!Enum.IsDefined(Mode))
        {
            errors.Add(new("mode-invalid", $"The 'mode' value {(int)Mode} is not one of 'enforce', 'testing' or 'none'.", Sections.Policy));
        }

        if (MaxAge is < 0 or > MaxMaxAge)
        {
            errors.Add(MaxAge < 0
                ? new("max-age-invalid", $"The 'max_age' value {MaxAge} is negative; it must be a whole number of seconds from 0 to {MaxMaxAge}.", Sections.Policy)
                : MaxAgeTooLarge(MaxAge.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (Mx.Count == 0 && Mode != MtaStsMode.None)
        {
            errors.Add(new("mx-missing", "The policy has no 'mx' pattern; at least one is required unless the mode is 'none'.", Sections.Policy));
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Mx.Count; i++)
        {
            var pattern = Mx[i] ?? "";
            var where = lineOf is null ? "" : $" on line {lineOf(i)}";
            var problem = MtaStsMxPattern.Problem(pattern);
            if (problem is not null)
            {
                errors.Add(new("mx-invalid", $"The 'mx' pattern {UserText.Quote(pattern)}{where} {problem}.", Sections.Policy));
                continue;
            }

            if (!seen.Add(pattern))
            {
                warnings.Add(new("mx-duplicate", $"The 'mx' pattern {UserText.Quote(pattern)}{where} is listed more than once.", Sections.Policy));
            }

            if (MtaStsMxPattern.IsBroad(pattern))
            {
                warnings.Add(new("mx-broad", $"The 'mx' pattern {UserText.Quote(pattern)}{where} allows any host under a top-level domain, which lets nearly any server receive the mail.", Sections.MxValidation));
            }
        }

        if (errors.Count > 0)
        {
            return;
        }

        if (Mode == MtaStsMode.Testing)
        {
            warnings.Add(new("mode-testing", "The mode is 'testing': senders report TLS failures but still deliver without TLS; switch to 'enforce' once the reports are clean.", Sections.Modes));
        }

        if (Mode != MtaStsMode.None && MaxAge < OneWeek)
        {
            warnings.Add(new("max-age-short", $"The 'max_age' is {MaxAge} seconds, less than one week; RFC 8461 expects weeks or more so that a cached policy outlasts an attack at refresh time.", Sections.Policy));
        }
    }

    internal static RfcFinding MaxAgeTooLarge(string value) =>
        new("max-age-too-large", $"The 'max_age' value {value} is larger than {MaxMaxAge}, the most RFC 8461 allows (about one year).", Sections.Policy);

    private const long OneWeek = 604_800;
}
