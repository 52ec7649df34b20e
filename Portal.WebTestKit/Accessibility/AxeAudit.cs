using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace Portal.Tests.Accessibility;

/// <summary>One element axe-core found breaking a rule: the rule, how bad, what to do, and where (CSS selectors, outermost first).</summary>
public sealed record AxeViolation(string Page, string Rule, string? Impact, string Help, string Target, string Summary);

/// <summary>What axe-core reported for one page: its violations and how many rules it checked and passed.</summary>
public sealed record AxeReport(string Page, IReadOnlyList<AxeViolation> Violations, int PassedRules);

/// <summary>
/// An element excused from one rule, with the reason. Only for a false positive inside a third-party component that the
/// portal cannot change; never a whole rule.
/// </summary>
public sealed record AxeExemption(string Rule, string Target, string Why);

/// <summary>
/// axe-core (npm package, installed by test.sh into Portal.SystemTests/accessibility) run inside a page in the browser,
/// against the WCAG 2.0 and 2.1 level A and AA rules.
/// </summary>
public static class AxeAudit
{
    public static readonly string[] Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    /// <summary>None so far: every rule applies to every element.</summary>
    public static readonly IReadOnlyList<AxeExemption> Exemptions = [];

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portal.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("The repository root (with Portal.slnx) is not above the test binaries.");
    }

    public static string ScriptPath()
    {
        var folder = Path.Combine(RepositoryRoot(), "Portal.SystemTests", "accessibility");
        var script = Path.Combine(folder, "node_modules", "axe-core", "axe.min.js");
        return File.Exists(script) ? script : throw new InvalidOperationException($"axe-core is not installed: run 'npm ci' in {folder} (test.sh does).");
    }

    /// <summary>Injects axe-core into the page (once) and audits the whole document as it is now.</summary>
    public static async Task<AxeReport> RunAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            // Evaluated by the browser's debugging protocol rather than added as a <script> tag: the portal's
            // Content-Security-Policy (script-src 'self') rightly refuses an inline script, and the audit must see
            // the pages under the policy they are served with, not with it bypassed.
            await page.EvaluateAsync(await File.ReadAllTextAsync(ScriptPath()) + "\n;void 0;");
        }

        var json = await page.EvaluateAsync<string>(
            """
            async (tags) => {
              const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
              return JSON.stringify({
                passes: result.passes.length,
                violations: result.violations.map(v => ({
                  id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.map(n => ({ target: n.target.map(t => Array.isArray(t) ? t.join(' >> ') : t).join(' >> '), summary: n.failureSummary || '' }))
                }))
              });
            }
            """, Tags);
        using var doc = JsonDocument.Parse(json);
        var violations = new List<AxeViolation>();
        foreach (var rule in doc.RootElement.GetProperty("violations").EnumerateArray())
        {
            var id = rule.GetProperty("id").GetString()!;
            foreach (var node in rule.GetProperty("nodes").EnumerateArray())
            {
                var target = node.GetProperty("target").GetString()!;
                if (Exemptions.Any(e => e.Rule == id && e.Target == target))
                {
                    continue;
                }

                violations.Add(new AxeViolation(
                    name, id, rule.GetProperty("impact").GetString(), rule.GetProperty("help").GetString()!, target, node.GetProperty("summary").GetString()!));
            }
        }

        return new AxeReport(name, violations, doc.RootElement.GetProperty("passes").GetInt32());
    }

    /// <summary>Every violation on every page, grouped by page then rule, for a failure message a person can act on.</summary>
    public static string Describe(IEnumerable<AxeReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var text = new StringBuilder();
        foreach (var report in reports.Where(r => r.Violations.Count > 0))
        {
            text.AppendLine().Append("== ").Append(report.Page).AppendLine();
            foreach (var rule in report.Violations.GroupBy(v => (v.Rule, v.Impact, v.Help)))
            {
                text.Append("  ").Append(rule.Key.Rule).Append(" (").Append(rule.Key.Impact ?? "no impact").Append("): ").Append(rule.Key.Help)
                    .Append(" [").Append(rule.Count()).AppendLine("]");
                foreach (var v in rule.Take(5))
                {
                    text.Append("    ").AppendLine(v.Target);
                    var summary = v.Summary.ReplaceLineEndings(" ").Trim();
                    if (summary.Length > 0)
                    {
                        text.Append("      ").AppendLine(summary.Length > 300 ? summary[..300] + "…" : summary);
                    }
                }

                if (rule.Count() > 5)
                {
                    text.Append("    … and ").Append(rule.Count() - 5).AppendLine(" more");
                }
            }
        }

        return text.ToString();
    }
}
