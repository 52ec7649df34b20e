using Portal.Tests.Identity;

namespace Portal.Tests.Pages;

/// <summary>The MTA-STS policy preview wraps long lines between words, never inside a word that fits on a line.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PolicyPreviewWrapTests
{
    [Fact]
    public async Task A_narrow_preview_keeps_each_word_whole()
    {
        await using var signedIn = await SignedInPage.StartAsync();
        var page = signedIn.Page;
        await page.GotoAsync(signedIn.Portal.Url("/requests/new/mta-sts").ToString());
        var preview = page.Locator("pre[data-policy-preview]");
        await preview.WaitForAsync();

        // Ten characters wide: every line of the policy (or of the messages about the empty form) must wrap.
        var split = await preview.EvaluateAsync<string[]>("""
            pre => {
              pre.style.fontFamily = 'monospace';
              pre.style.width = '10ch';
              pre.style.padding = '0';
              const split = [];
              const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
              for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                for (const m of node.textContent.matchAll(/\S+/g)) {
                  if (m[0].length > 9) continue;
                  const range = document.createRange();
                  range.setStart(node, m.index);
                  range.setEnd(node, m.index + m[0].length);
                  const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                  if (tops.size > 1) split.push(m[0]);
                }
              }
              return split;
            }
            """);

        Assert.True((await preview.InnerTextAsync()).Length > 20, "the preview shows nothing to wrap");
        Assert.Empty(split);
    }
}
