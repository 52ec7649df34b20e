using System.Security.Cryptography;
using System.Text;

namespace Portal.Core.Templates;

/// <summary>
/// The name of one release of the portal's templates: <c>t-</c> and the first twelve hex digits of a SHA-256 over the
/// rendering rules' version and every template file (name and text). It changes by itself whenever a template file
/// changes, so nobody has to remember to bump a constant; <see cref="RenderingVersion"/> is the one thing to bump when
/// the C# side of rendering changes what it writes into the templates.
/// </summary>
public static class TemplateRelease
{
    /// <summary>Bump when <see cref="StackRenderer"/> changes the stacks it writes for the same request (not for refactorings).</summary>
    public const int RenderingVersion = 1;

    /// <summary>The release of a set of templates.</summary>
    public static string Of(TemplateLibrary library)
    {
        ArgumentNullException.ThrowIfNull(library);
        var text = new StringBuilder().Append("rendering ").Append(RenderingVersion).Append('\n');
        foreach (var kind in TemplateLibrary.Kinds)
        {
            // Line endings are normalised: a checkout on Windows is the same release.
            text.Append(TemplateLibrary.FileName(kind)).Append('\n').Append(library.Yaml(kind).Replace("\r\n", "\n", StringComparison.Ordinal)).Append('\n');
        }

        return "t-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..12];
    }
}
