namespace Portal.Core.MtaSts;

/// <summary>Where each rule comes from, written the same way in every finding.</summary>
internal static class Sections
{
    public const string TxtRecord = "RFC 8461 section 3.1";
    public const string Policy = "RFC 8461 section 3.2";
    public const string PolicyFetch = "RFC 8461 section 3.3";
    public const string MxValidation = "RFC 8461 section 4.1";
    public const string Modes = "RFC 8461 section 5";
    public const string TlsRpt = "RFC 8460 section 3";
}
