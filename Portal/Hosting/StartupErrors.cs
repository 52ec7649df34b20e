using Microsoft.Extensions.Options;

namespace Portal.Hosting;

/// <summary>
/// A bad setting is the operator's to fix, not a crash to debug: it is reported as one line naming the key(s), and
/// the process exits with <see cref="ExitCode"/> instead of aborting with a stack trace.
/// </summary>
public static class StartupErrors
{
    /// <summary>EX_CONFIG from sysexits.h: "something was found in an unconfigured or misconfigured state".</summary>
    public const int ExitCode = 78;

    /// <summary>
    /// True when this process is the portal (<c>dotnet Portal.dll</c>); false when another program hosts it (the
    /// integration tests' factory), which then gets the exception itself.
    /// </summary>
    public static bool OwnsProcess => System.Reflection.Assembly.GetEntryAssembly() == typeof(StartupErrors).Assembly;

    /// <summary>Checks every option registered with <c>ValidateOnStart</c> now, before the host starts (and would log the failure with its stack trace).</summary>
    public static void ValidateConfiguration(this IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.GetService<IStartupValidator>()?.Validate();
    }

    /// <summary>The line to print when <paramref name="exception"/> is a configuration error; null for anything else.</summary>
    public static string? ConfigurationProblem(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var failures = new List<string>();
        Collect(exception, failures);
        return failures.Count == 0
            ? null
            : "Configuration error: " + string.Join(" ", failures.Distinct(StringComparer.Ordinal).Select(OneLine));
    }

    private static void Collect(Exception exception, List<string> failures)
    {
        switch (exception)
        {
            case OptionsValidationException invalid:
                failures.AddRange(invalid.Failures);
                break;
            case AggregateException many:
                foreach (var inner in many.InnerExceptions)
                {
                    Collect(inner, failures);
                }

                break;

            // The configuration binder's own refusal: a value that is not of the setting's type ('Failed to convert
            // configuration value at 'Database:Provider' to type ...').
            case InvalidOperationException binding when binding.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal):
                failures.Add(binding.Message);
                break;
            default:
                if (exception.InnerException is { } cause)
                {
                    Collect(cause, failures);
                }

                break;
        }
    }

    private static string OneLine(string text)
    {
        var line = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.EndsWith('.') ? line : line + ".";
    }
}
