using System.Security.Claims;
using System.Text.Json;

namespace Portal.Core.Identity;

/// <summary>
/// Reads multi-valued claims whichever way a token handler delivered them: several claims of one type, or one claim
/// holding a JSON array (some handlers keep arrays as text).
/// </summary>
public static class ClaimValues
{
    public static IReadOnlyList<string> Of(IEnumerable<Claim> claims, string type)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var values = new List<string>();
        foreach (var claim in claims)
        {
            if (!string.Equals(claim.Type, type, StringComparison.Ordinal))
            {
                continue;
            }

            values.AddRange(Split(claim.Value));
        }

        return values;
    }

    private static List<string> Split(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.StartsWith('[') && trimmed.EndsWith(']'))
        {
            List<string> items;
            try
            {
                using var doc = JsonDocument.Parse(trimmed);
                items = doc.RootElement.EnumerateArray()
                    .Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() ?? "" : e.GetRawText())
                    .Where(s => s.Length > 0)
                    .ToList();
            }
            catch (JsonException)
            {
                return [trimmed];
            }

            return items;
        }

        return trimmed.Length == 0 ? [] : [trimmed];
    }
}
