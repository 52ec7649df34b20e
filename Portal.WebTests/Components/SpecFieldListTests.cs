using Bunit;
using Portal.Components.Requests;
using Portal.Core.Requests;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>The request page shows what is asked for as a list of fields with their values as typed, not escaped JSON.</summary>
public sealed class SpecFieldListTests : IAsyncLifetime
{
    private PortalComponentContext _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalComponentContext.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public void A_site_shows_its_policy_with_quotes_as_typed()
    {
        var list = _portal.Bunit.Render<SpecFieldList>(p => p.Add(c => c.Spec, TestSpecs.Site()));

        var terms = list.FindAll("dl[data-spec] dt").Select(t => t.TextContent).ToList();
        Assert.Contains("Host", terms);
        Assert.Contains("Content-Security-Policy", terms);
        var csp = list.FindAll("dl[data-spec] dt").Single(t => t.TextContent == "Content-Security-Policy").NextElementSibling!;
        Assert.Equal("dd", csp.LocalName);
        Assert.Contains("'self'", csp.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", list.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("{", list.Markup, StringComparison.Ordinal);
    }
}
