using Portal.Core.Requests;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Requests;

/// <summary>
/// A draft is saved with only what identifies it, its site host or mail domain; fields left empty are asked for at
/// submission, so an unfinished request can be kept without invented values; what it does fill in must be valid.
/// </summary>
public sealed class DraftValidationTests
{
    [Fact]
    public void A_site_draft_with_only_its_host_is_accepted_though_submission_would_refuse_it()
    {
        var draft = new SiteSpec { Host = "docs.example.com" };

        Assert.Empty(SpecValidator.ValidateDraft(draft).Errors);
        Assert.Contains(SpecValidator.Validate(draft).Errors, e => e.Field == "hostedZoneId");
    }

    [Fact]
    public void An_mta_sts_draft_with_only_its_domain_is_accepted()
    {
        var draft = new MtaStsSpec { Domain = "example.com" };

        Assert.Empty(SpecValidator.ValidateDraft(draft).Errors);
        Assert.Contains(SpecValidator.Validate(draft).Errors, e => e.Field == "mx");
    }

    [Fact]
    public void A_draft_without_a_name_is_refused_on_the_name_field()
    {
        var site = Assert.Single(SpecValidator.ValidateDraft(new SiteSpec()).Errors);
        var mail = Assert.Single(SpecValidator.ValidateDraft(new MtaStsSpec()).Errors);

        Assert.Equal(("host", "domain"), (site.Field, mail.Field));
    }

    [Fact]
    public void A_draft_with_a_bad_name_or_a_name_in_use_is_refused()
    {
        var bad = Assert.Single(SpecValidator.ValidateDraft(new SiteSpec { Host = "Docs.example.com" }).Errors);
        Assert.Equal("host", bad.Field);
        Assert.Contains("lower case", bad.Message, StringComparison.Ordinal);

        var taken = Assert.Single(SpecValidator.ValidateDraft(new MtaStsSpec { Domain = "example.com" }, new HashSet<string> { "example.com" }).Errors);
        Assert.Equal(("domain", "'example.com' already belongs to another request."), (taken.Field, taken.Message));
    }

    [Fact]
    public void What_a_draft_does_fill_in_must_be_valid()
    {
        var errors = SpecValidator.ValidateDraft(new SiteSpec { Host = "docs.example.com", HostedZoneId = "not-a-zone", Csp = "default-src 'self'\nX: y" }).Errors;

        Assert.Equal(["csp", "hostedZoneId"], errors.Select(e => e.Field).Distinct().Order());
    }

    [Fact]
    public void A_complete_spec_passes_both()
    {
        Assert.Empty(SpecValidator.ValidateDraft(TestSpecs.Site()).Errors);
        Assert.Empty(SpecValidator.Validate(TestSpecs.Site()).Errors);
    }
}
