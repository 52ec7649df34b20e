namespace Portal.Core.Text;

/// <summary>
/// Glob matching as AWS uses it in CloudFront path patterns and IAM policies: <c>*</c> is any run of characters
/// (slashes and colons included), <c>?</c> exactly one, everything else literal and case-sensitive.
/// </summary>
public static class Wildcard
{
    public static bool Matches(string pattern, string value)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(value);

        // Iterative matching with backtracking to the last '*': linear in practice, no regex.
        int p = 0, s = 0, star = -1, mark = 0;
        while (s < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == value[s]))
            {
                p++;
                s++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = s;
            }
            else if (star >= 0)
            {
                p = star + 1;
                s = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
