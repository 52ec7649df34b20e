using System.Net.Mail;
using Portal.Core.Headers;

namespace Portal.Core.Requests;

/// <summary>A problem with one field of a request, worded for the person who typed it.</summary>
public sealed record FieldError(string Field, string Message);

public sealed record SpecValidationResult(IReadOnlyList<FieldError> Errors)
{
    public bool IsValid => Errors.Count == 0;

    public IEnumerable<string> MessagesFor(string field) =>
        Errors.Where(e => e.Field == field).Select(e => e.Message);
}

/// <summary>
/// Validates request specs. <paramref name="namesInUse"/> holds the primary names (site hosts, mail domains) of other
/// live requests, so two requests never provision the same name.
/// </summary>
public static partial class SpecValidator
{
    public const int MaxHeaderValueLength = 1024;

    /// <summary>CloudFront's limit on a response headers policy's Content-Security-Policy value.</summary>
    public const int MaxServedCspLength = Templates.StackRenderer.MaxHeaderValueLength;
    public const int MaxRedirectNames = 10;
    public const int MaxMxPatterns = 32;
    public const int MaxRuaUris = 8;
    public const int MaxCacheRules = 20;

    // Limits of the free-text fields that no other rule bounds; the forms show the same numbers.
    public const int MaxHostedZoneIdLength = 32;
    public const int MaxRepositoryLength = 140;
    public const int MaxBranchLength = 255;
    public const int MaxPathPatternLength = 255;
    public const int MaxRuaLength = 512;

    /// <summary>What a form's multi-line list field may hold: its most entries, each at its longest, one per line.</summary>
    public static int MaxListFieldLength(int entries, int entryLength) => entries * (entryLength + 2);

    public static SpecValidationResult Validate(RequestSpec spec, IReadOnlySet<string>? namesInUse = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new List<FieldError>();
        switch (spec)
        {
            case SiteSpec site:
                ValidateSite(site, errors);
                break;
            case MtaStsSpec mta:
                ValidateMtaSts(mta, errors);
                break;
        }

        if (namesInUse is not null && namesInUse.Contains(spec.PrimaryName))
        {
            var field = spec is SiteSpec ? "host" : "domain";
            errors.Add(new(field, $"'{spec.PrimaryName}' already belongs to another request."));
        }

        return new SpecValidationResult(errors);
    }

    /// <summary>
    /// What a draft must satisfy to be saved: its primary name (site host or mail domain), valid and not held by another
    /// request, and every field it does fill in valid. A field left empty is not asked for until the draft is
    /// submitted, when <see cref="Validate"/> runs every rule; so a person keeps an unfinished request without
    /// inventing values, and nothing a form or the API could never submit is stored.
    /// </summary>
    public static SpecValidationResult ValidateDraft(RequestSpec spec, IReadOnlySet<string>? namesInUse = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var empty = EmptyFields(spec);
        var errors = Validate(spec, namesInUse).Errors
            .Where(e => !empty.Contains(e.Field.Split('[')[0]))
            .ToList();
        return new SpecValidationResult(errors);
    }

    /// <summary>The fields a draft left empty; never the primary name, which every draft needs.</summary>
    private static HashSet<string> EmptyFields(RequestSpec spec)
    {
        var empty = new HashSet<string>(StringComparer.Ordinal);
        void Add(string field, bool isEmpty)
        {
            if (isEmpty)
            {
                empty.Add(field);
            }
        }

        switch (spec)
        {
            case SiteSpec site:
                Add("hostedZoneName", string.IsNullOrWhiteSpace(site.HostedZoneName));
                Add("hostedZoneId", string.IsNullOrWhiteSpace(site.HostedZoneId));
                Add("permissionsPolicy", string.IsNullOrWhiteSpace(site.PermissionsPolicy));
                Add("deployRole.repository", site.DeployRole is not null && string.IsNullOrWhiteSpace(site.DeployRole.Repository));
                Add("deployRole.branch", site.DeployRole is not null && string.IsNullOrWhiteSpace(site.DeployRole.Branch));
                break;
            case MtaStsSpec mta:
                Add("mx", mta.Mx is { Count: 0 });
                Add("hostedZoneId", string.IsNullOrWhiteSpace(mta.HostedZoneId));
                Add("hostedZoneName", string.IsNullOrWhiteSpace(mta.HostedZoneName));
                break;
        }

        return empty;
    }

    private static void ValidateSite(SiteSpec site, List<FieldError> errors)
    {
        AddHostError(errors, "host", "Host", site.Host);
        AddHostError(errors, "hostedZoneName", "Hosted zone name", site.HostedZoneName);
        if (HostNameRules.Check(site.Host) is null && HostNameRules.Check(site.HostedZoneName) is null
            && !HostNameRules.IsWithinZone(site.Host, site.HostedZoneName))
        {
            errors.Add(new("host", $"Host '{site.Host}' is not inside the hosted zone '{site.HostedZoneName}'."));
        }

        if (HostNameRules.Check(site.Host) is null && ServedNames.Testing(site.Host).Length > HostNameRules.MaxNameLength)
        {
            errors.Add(new("host", $"Host is too long: its testing name '{ServedNames.Testing(site.Host)}' would exceed {HostNameRules.MaxNameLength} characters."));
        }

        var zoneIdError = CheckHostedZoneId(site.HostedZoneId);
        if (zoneIdError is not null)
        {
            errors.Add(new("hostedZoneId", zoneIdError));
        }

        // Lists are null only when built in code that skipped the JSON reader; refuse rather than fail later.
        var environments = ListOrError(site.Environments, "environments", errors);
        if (environments is not null)
        {
            CheckEnvironments(environments, errors);
        }

        // The CSP is parsed, not just length-checked: what is served is the canonical form of a valid policy.
        var csp = ContentSecurityPolicy.Parse(site.Csp);
        foreach (var problem in csp.Errors)
        {
            errors.Add(new("csp", problem));
        }

        if (csp.Policy is { } policy && policy.ToHeaderValue().Length > MaxServedCspLength)
        {
            errors.Add(new("csp", $"The Content-Security-Policy is {policy.ToHeaderValue().Length} characters long as served; CloudFront serves at most {MaxServedCspLength}."));
        }

        AddHeaderValueError(errors, "referrerPolicy", "Referrer-Policy", site.ReferrerPolicy, MaxHeaderValueLength, required: true);
        if (HeaderValueProblem(site.ReferrerPolicy, MaxHeaderValueLength, required: true) is null)
        {
            if (!ReferrerPolicies.Contains(site.ReferrerPolicy))
            {
                // CloudFront's response headers policy takes exactly one value, so a fallback list cannot be served.
                errors.Add(new("referrerPolicy", $"Referrer-Policy '{site.ReferrerPolicy}' is not a known policy; use one of: {string.Join(", ", ReferrerPolicies)}."));
            }
        }

        AddHeaderValueError(errors, "permissionsPolicy", "Permissions-Policy", site.PermissionsPolicy, MaxHeaderValueLength, required: false);

        if (!Enum.IsDefined(site.ViewerProtocol))
        {
            errors.Add(new("viewerProtocol", "Viewer protocol must be redirect-to-https or https-only."));
        }

        var redirectFrom = ListOrError(site.RedirectFrom, "redirectFrom", errors) ?? [];
        if (redirectFrom.Count > MaxRedirectNames)
        {
            errors.Add(new("redirectFrom", $"At most {MaxRedirectNames} redirect names per site."));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < redirectFrom.Count; i++)
        {
            var name = redirectFrom[i];
            var field = $"redirectFrom[{i}]";
            if (AddHostError(errors, field, "Redirect name", name))
            {
                continue;
            }

            if (name == site.Host)
            {
                errors.Add(new(field, $"Redirect name '{name}' is the site's own host."));
            }
            else if (name == ServedNames.Testing(site.Host))
            {
                errors.Add(new(field, $"Redirect name '{name}' is the site's testing host."));
            }
            else if (!seen.Add(name))
            {
                errors.Add(new(field, $"Redirect name '{name}' is listed twice."));
            }
            else if (HostNameRules.Check(site.HostedZoneName) is null && !HostNameRules.IsWithinZone(name, site.HostedZoneName))
            {
                errors.Add(new(field, $"Redirect name '{name}' is not inside the hosted zone '{site.HostedZoneName}'."));
            }
        }

        ValidateDeployRole(site.DeployRole, errors);
        if (SiteErrorPages.CheckNotFoundPage(site) is { } errorPage)
        {
            errors.Add(new("notFoundPage", errorPage));
        }

        if (ContentRetention.CheckKeep(site.KeepContentVersions) is { } keep)
        {
            errors.Add(new("keepContentVersions", keep));
        }

        var cacheRules = ListOrError(site.CacheRules, "cacheRules", errors) ?? [];
        if (cacheRules.Count > MaxCacheRules)
        {
            errors.Add(new("cacheRules", $"At most {MaxCacheRules} cache rules per site."));
        }

        for (var i = 0; i < cacheRules.Count; i++)
        {
            var rule = cacheRules[i];
            if (rule is null)
            {
                errors.Add(new($"cacheRules[{i}]", JsonShape.NullMessage));
                continue;
            }

            var patternError = CheckPathPattern(rule.PathPattern);
            if (patternError is not null)
            {
                errors.Add(new($"cacheRules[{i}].pathPattern", patternError));
            }

            var valueError = HeaderValueProblem(rule.CacheControl, MaxHeaderValueLength, required: true);
            if (valueError is not null)
            {
                errors.Add(new($"cacheRules[{i}].cacheControl", "Cache-Control " + valueError));
            }
        }
    }

    private static void CheckEnvironments(IReadOnlyList<DeploymentEnvironment> environments, List<FieldError> errors)
    {
        if (environments.Count == 0)
        {
            errors.Add(new("environments", "Choose at least one environment."));
        }
        else if (environments.Any(e => !Enum.IsDefined(e)))
        {
            errors.Add(new("environments", "Each environment must be testing or production."));
        }
        else if (environments.Distinct().Count() != environments.Count)
        {
            errors.Add(new("environments", "Each environment may be listed once."));
        }
        else if (!environments.Contains(DeploymentEnvironment.Testing))
        {
            errors.Add(new("environments", "Testing is required: production is only ever promoted from a tested deployment."));
        }
    }

    private static void ValidateDeployRole(GitHubDeployRole? role, List<FieldError> errors)
    {
        if (role is null)
        {
            return;
        }

        if (string.IsNullOrEmpty(role.Repository) || !GitHubRepository().IsMatch(role.Repository) || role.Repository.EndsWith("/.", StringComparison.Ordinal) || role.Repository.EndsWith("/..", StringComparison.Ordinal))
        {
            errors.Add(new("deployRole.repository", $"Repository must be a GitHub repository as owner/name, e.g. acme/docs-site; got '{Truncate(role.Repository ?? "")}'."));
        }

        var branch = role.Branch ?? "";
        if (branch.Length == 0)
        {
            errors.Add(new("deployRole.branch", "Branch is required: the role trusts the workflow runs of exactly one branch."));
        }
        else if (!GitBranch().IsMatch(branch) || branch.Contains("..", StringComparison.Ordinal) || branch.Contains("//", StringComparison.Ordinal)
            || branch.EndsWith('/') || branch.EndsWith(".lock", StringComparison.Ordinal) || branch.EndsWith('.'))
        {
            errors.Add(new("deployRole.branch", $"Branch '{branch}' is not a branch name this role can trust: use letters, digits and . _ - / (at most 255), no '..' and no trailing '/' or '.'."));
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")]
    private static partial System.Text.RegularExpressions.Regex GitHubRepository();

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._/-]{0,254}$")]
    private static partial System.Text.RegularExpressions.Regex GitBranch();

    private static void ValidateMtaSts(MtaStsSpec mta, List<FieldError> errors)
    {
        AddHostError(errors, "domain", "Mail domain", mta.Domain);
        if (HostNameRules.Check(mta.Domain) is null && ServedNames.MtaStsPolicyHost(mta.Domain).Length > HostNameRules.MaxNameLength)
        {
            errors.Add(new("domain", $"Mail domain is too long: '{ServedNames.MtaStsPolicyHost(mta.Domain)}' would exceed {HostNameRules.MaxNameLength} characters."));
        }

        if (!Enum.IsDefined(mta.Mode))
        {
            errors.Add(new("mode", "Mode must be testing, enforce or none."));
        }

        if (mta.MaxAge is < 0 or > MtaStsSpec.MaxMaxAge)
        {
            errors.Add(new("maxAge", $"max_age must be between 0 and {MtaStsSpec.MaxMaxAge} seconds (one year); got {mta.MaxAge}."));
        }

        var mx = ListOrError(mta.Mx, "mx", errors);
        if (mx is not null && mta.Mode != MtaStsMode.None && mx.Count == 0)
        {
            errors.Add(new("mx", "At least one mx pattern is required unless the mode is none."));
        }

        mx ??= [];
        if (mx.Count > MaxMxPatterns)
        {
            errors.Add(new("mx", $"At most {MaxMxPatterns} mx patterns."));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < mx.Count; i++)
        {
            var field = $"mx[{i}]";
            var problem = HostNameRules.Check(mx[i], allowWildcard: true);
            if (problem is not null)
            {
                errors.Add(new(field, "MX pattern " + problem));
            }
            else if (!seen.Add(mx[i]))
            {
                errors.Add(new(field, $"MX pattern '{mx[i]}' is listed twice."));
            }
        }

        var rua = ListOrError(mta.TlsRptRua, "tlsRptRua", errors) ?? [];
        if (rua.Count > MaxRuaUris)
        {
            errors.Add(new("tlsRptRua", $"At most {MaxRuaUris} TLS-RPT report addresses."));
        }

        for (var i = 0; i < rua.Count; i++)
        {
            var problem = CheckRua(rua[i]);
            if (problem is not null)
            {
                errors.Add(new($"tlsRptRua[{i}]", problem));
            }
        }

        // The form sends an empty zone id when "DNS in Route53" is on but nothing was filled in; taking that as
        // external DNS would silently change who publishes the records, so it is refused on the field instead.
        if (!mta.DnsInRoute53 && (mta.HostedZoneId is not null || !string.IsNullOrWhiteSpace(mta.HostedZoneName)))
        {
            errors.Add(new("hostedZoneId", "Hosted zone id is required when the domain's DNS is in Route53; turn that off to publish the records yourself."));
        }

        if (mta.DnsInRoute53)
        {
            var zoneIdError = CheckHostedZoneId(mta.HostedZoneId);
            if (zoneIdError is not null)
            {
                errors.Add(new("hostedZoneId", zoneIdError));
            }

            if (mta.HostedZoneName is not null)
            {
                if (!AddHostError(errors, "hostedZoneName", "Hosted zone name", mta.HostedZoneName)
                    && HostNameRules.Check(mta.Domain) is null
                    && !HostNameRules.IsWithinZone(mta.Domain, mta.HostedZoneName))
                {
                    errors.Add(new("domain", $"Mail domain '{mta.Domain}' is not inside the hosted zone '{mta.HostedZoneName}'."));
                }
            }
        }
    }

    /// <summary>Checks one TLS-RPT report URI (RFC 8460 section 3): <c>mailto:</c> with an address, or <c>https:</c> with a host.</summary>
    public static string? CheckRua(string? uri)
    {
        if (string.IsNullOrWhiteSpace(uri))
        {
            return "Report address is required.";
        }

        if (uri.Length > MaxRuaLength)
        {
            return $"Report address is longer than {MaxRuaLength} characters.";
        }

        if (uri.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is ',' or ';' or '!' or '"'))
        {
            return "Report address must not contain spaces, commas, semicolons, '!' or quotes.";
        }

        if (!uri.All(char.IsAscii))
        {
            return "Report address must be ASCII (use IDNA A-labels for the domain).";
        }

        if (uri.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            var address = uri["mailto:".Length..];
            var at = address.LastIndexOf('@');
            if (at <= 0 || !MailAddress.TryCreate(address, out var parsed) || parsed.Address != address
                || HostNameRules.Check(address[(at + 1)..].ToLowerInvariant()) is not null)
            {
                return $"'{uri}' is not a valid mailto: address, like 'mailto:tlsrpt@example.com'.";
            }

            return null;
        }

        if (uri.StartsWith("https:", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme != Uri.UriSchemeHttps
                || HostNameRules.Check(parsed.Host) is not null || !string.IsNullOrEmpty(parsed.UserInfo))
            {
                return $"'{uri}' is not a valid https: URL, like 'https://reports.example.com/tlsrpt'.";
            }

            return null;
        }

        return $"'{uri}' must start with mailto: or https: (RFC 8460).";
    }

    private static string? CheckHostedZoneId(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return "Hosted zone id is required.";
        }

        return id.Length >= 2 && id.Length <= MaxHostedZoneIdLength && id[0] == 'Z' && id.All(char.IsAsciiLetterOrDigit) && id.All(c => !char.IsAsciiLetterLower(c))
            ? null
            : $"Hosted zone id '{Truncate(id)}' is not a Route53 id: upper-case letters and digits starting with 'Z', like 'Z0123456789ABC'.";
    }

    private static string? CheckPathPattern(string? pattern)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            return "Path pattern is required.";
        }

        if (pattern.Length > MaxPathPatternLength)
        {
            return $"Path pattern is longer than {MaxPathPatternLength} characters.";
        }

        // CloudFront path patterns: A-Z a-z 0-9 _ - . * $ / ~ " ' @ : +, and & as &amp;; quotes are excluded here on purpose.
        return pattern.All(c => char.IsAsciiLetterOrDigit(c) || "_-.*$/~@:+".Contains(c, StringComparison.Ordinal))
            ? null
            : $"Path pattern '{Truncate(pattern)}' may contain only letters, digits and _ - . * $ / ~ @ : +.";
    }

    private static IReadOnlyList<T>? ListOrError<T>(IReadOnlyList<T>? list, string field, List<FieldError> errors)
    {
        if (list is null)
        {
            errors.Add(new(field, JsonShape.NullMessage));
        }

        return list;
    }

    private static bool AddHostError(List<FieldError> errors, string field, string label, string? value)
    {
        var problem = HostNameRules.Check(value);
        if (problem is null)
        {
            return false;
        }

        errors.Add(new(field, $"{label} {problem}"));
        return true;
    }

    private static void AddHeaderValueError(List<FieldError> errors, string field, string header, string? value, int max, bool required)
    {
        var problem = HeaderValueProblem(value, max, required);
        if (problem is not null)
        {
            errors.Add(new(field, $"{header} {problem}"));
        }
    }

    /// <summary>The shared header rule, so what is accepted here is what the stack renderer serves.</summary>
    private static string? HeaderValueProblem(string? value, int max, bool required) => HeaderValue.Problem(value, max, required);

    private static string Truncate(string s) => s.Length > 40 ? s[..40] + "..." : s;

    private static readonly string[] ReferrerPolicies =
    [
        "no-referrer", "no-referrer-when-downgrade", "origin", "origin-when-cross-origin", "same-origin",
        "strict-origin", "strict-origin-when-cross-origin", "unsafe-url",
    ];
}
