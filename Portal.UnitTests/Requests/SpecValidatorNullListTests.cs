using Portal.Core.Requests;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Requests;

/// <summary>A spec built in code with a null list or list element gets a field error from the validator, not an exception.</summary>
public sealed class SpecValidatorNullListTests
{
    public static TheoryData<string, RequestSpec, string> NullParts => new()
    {
        { "environments", TestSpecs.Site() with { Environments = null! }, "environments" },
        { "redirectFrom", TestSpecs.Site() with { RedirectFrom = null! }, "redirectFrom" },
        { "cacheRules", TestSpecs.Site() with { CacheRules = null! }, "cacheRules" },
        { "cacheRules[0]", TestSpecs.Site() with { CacheRules = [null!] }, "cacheRules[0]" },
        { "mx", TestSpecs.MtaSts() with { Mx = null! }, "mx" },
        { "tlsRptRua", TestSpecs.MtaSts() with { TlsRptRua = null! }, "tlsRptRua" },
        { "tlsRptRua[0]", TestSpecs.MtaSts() with { TlsRptRua = [null!] }, "tlsRptRua[0]" },
    };

    [Theory]
    [MemberData(nameof(NullParts))]
    public void A_null_list_or_element_is_a_field_error(string name, RequestSpec spec, string field)
    {
        var result = SpecValidator.Validate(spec);

        Assert.True(result.Errors.Any(e => e.Field == field), $"{name}: {string.Join("; ", result.Errors.Select(e => e.Field))}");
    }
}
