using Portal.Tests.Identity;

namespace Portal.Tests.Pages;

/// <summary>Each page moves focus to its heading for screen readers, without drawing a focus box around it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class HeadingFocusTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/requests")]
    [InlineData("/requests/new/site")]
    public async Task The_focused_heading_has_no_outline(string path)
    {
        await using var signedIn = await SignedInPage.StartAsync();
        var page = signedIn.Page;

        await page.GotoAsync(signedIn.Portal.Url(path).ToString());
        await page.WaitForFunctionAsync("() => document.activeElement && document.activeElement.tagName === 'H1'");

        Assert.Equal("-1", await page.EvaluateAsync<string>("() => document.activeElement.getAttribute('tabindex')"));
        Assert.Equal("none", await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));
    }
}
