namespace Portal.Core.MtaSts;

/// <summary>
/// One problem found while reading or building an RFC 8461/8460 artefact.
/// </summary>
/// <param name="Id">A stable, kebab-case identifier (e.g. <c>max-age-too-large</c>) that code and tests can match on.</param>
/// <param name="Message">A sentence for people: names the field and says what is wrong and what would be right.</param>
/// <param name="Section">The rule's source, e.g. <c>RFC 8461 section 3.2</c>.</param>
public sealed record RfcFinding(string Id, string Message, string Section);

/// <summary>
/// The outcome of parsing or creating an RFC 8461/8460 value: the value when there are no errors, plus every
/// error and warning found. Warnings never stop a value from being produced.
/// </summary>
public sealed record RfcResult<T>(T? Value, IReadOnlyList<RfcFinding> Errors, IReadOnlyList<RfcFinding> Warnings)
    where T : class
{
    public bool IsValid => Value is not null;

    internal static RfcResult<T> From(T? candidate, List<RfcFinding> errors, List<RfcFinding> warnings) =>
        new(errors.Count == 0 ? candidate : null, errors.ToArray(), warnings.ToArray());
}
