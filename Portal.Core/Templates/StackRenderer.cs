using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Portal.Core.Headers;
using Portal.Core.Requests;

namespace Portal.Core.Templates;

/// <summary>What to render: one revision of one request, and who asked for it (for the stack tags).</summary>
public sealed record RenderRequest(Guid RequestId, int Revision, string Requester, RequestSpec Spec)
{
    public static RenderRequest From(PortalRequest request, RequestRevision revision)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(revision);
        return new(request.Id, revision.Number, request.OwnerName, revision.Spec);
    }
}

/// <summary>The stacks of one request in one environment, or the problems that prevent rendering them.</summary>
public sealed record RenderResult(IReadOnlyList<RenderedStack> Stacks, IReadOnlyList<FieldError> Errors)
{
    /// <summary>For an MTA-STS request: the policy as served and the DNS records that announce it.</summary>
    public MtaStsPublication? MtaSts { get; init; }

    /// <summary>
    /// The headers stacks the stacks import (<c>HeadersStackName</c>), each once: shared with other requests, so they
    /// are not the request's own and are deployed first when absent.
    /// </summary>
    public IReadOnlyList<RenderedStack> HeadersStacks { get; init; } = [];

    public bool IsSuccess => Errors.Count == 0;

    public static RenderResult Failure(IReadOnlyList<FieldError> errors) => new([], errors);
}

/// <summary>
/// Renders requests into CloudFormation stacks from the templates in <c>templates/</c>. The templates stay as a
/// person would deploy them by hand; the renderer only fills parameters and, where a value cannot be a parameter
/// (a CloudFront Function's embedded values), writes it from the typed request
/// as JSON. Rendering is deterministic: the same request, environment and settings give the same bytes.
/// </summary>
public sealed class StackRenderer
{
    /// <summary>CloudFront takes certificates only from us-east-1, so every stack with a certificate lives there.</summary>
    public const string CloudFrontRegion = "us-east-1";

    /// <summary>CloudFormation's limit on a template passed inline.</summary>
    public const int MaxTemplateBodyBytes = 51_200;

    /// <summary>CloudFront's limit on a header value in a response headers policy.</summary>
    public const int MaxHeaderValueLength = HeaderValue.CloudFrontMaxLength;

    private readonly TemplateLibrary _templates;
    private readonly PortalStackSettings _settings;

    /// <exception cref="ArgumentException">The settings are invalid: check them with <see cref="PortalStackSettings.Validate"/> first.</exception>
    public StackRenderer(TemplateLibrary templates, PortalStackSettings settings)
    {
        ArgumentNullException.ThrowIfNull(templates);
        ArgumentNullException.ThrowIfNull(settings);
        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid stack settings: {errors[0].Field} {errors[0].Message}", nameof(settings));
        }

        _templates = templates;
        _settings = settings;
        Release = TemplateRelease.Of(templates);
    }

    /// <summary>The release of the templates this renderer fills in.</summary>
    public string Release { get; }

    /// <summary>The account's shared stack (buckets and the default-document function), in the settings' region.</summary>
    public RenderedStack RenderShared()
    {
        var template = _templates.Json(StackKind.Shared);
        AddFunctionShards(template, _settings.DefaultDocumentFunctionShards);
        var parameters = FillOrThrow(template, new Dictionary<string, string>
        {
            ["ContentBucketName"] = _settings.ContentBucketName,
            ["LogBucketName"] = _settings.LogBucketName,
            ["DefaultDocumentFunctionName"] = _settings.DefaultDocumentFunctionName,
        });
        var tags = new List<StackTag> { new(StackTags.Kind, StackKindNames.Of(StackKind.Shared)) };
        tags.AddRange(SettingsTags());
        return new RenderedStack(StackNaming.Shared(_settings.StackNamePrefix), _settings.SharedRegion, TemplateJson.Write(template), parameters, tags)
        {
            Kind = StackKind.Shared,
        };
    }

    /// <summary>Every stack one environment of the request needs; never throws for a problem in the request.</summary>
    public RenderResult Render(RenderRequest request, DeploymentEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Spec is null)
        {
            return RenderResult.Failure([new("kind", "The request has no spec.")]);
        }

        if (!Enum.IsDefined(environment))
        {
            return RenderResult.Failure([new("environment", "Environment must be testing or production.")]);
        }

        var errors = new List<FieldError>(SpecValidator.Validate(request.Spec).Errors);
        return request.Spec switch
        {
            SiteSpec site => RenderSite(request, site, environment, errors),
            MtaStsSpec mta => RenderMtaSts(request, mta, environment, errors),
            _ => RenderResult.Failure([new("kind", "The field 'kind' must be \"site\" or \"mta-sts\".")]),
        };
    }

    private RenderResult RenderSite(RenderRequest request, SiteSpec site, DeploymentEnvironment environment, List<FieldError> errors)
    {
        if (!site.Environments.Contains(environment))
        {
            errors.Add(new("environments", $"This site has no {StackNaming.EnvironmentName(environment)} environment."));
        }

        // The header value is the CSP model's canonical form, never the typed text.
        var csp = ContentSecurityPolicy.Parse(site.Csp);
        var cspValue = csp.Policy?.ToHeaderValue();
        if (csp.Policy is null)
        {
            if (!errors.Any(e => e.Field == "csp"))
            {
                errors.AddRange(csp.Errors.Select(message => new FieldError("csp", message)));
            }
        }
        else if (cspValue!.Length > MaxHeaderValueLength)
        {
            errors.Add(new("csp", $"Content-Security-Policy is {cspValue.Length} characters long; CloudFront sends at most {MaxHeaderValueLength}."));
        }

        // The same header rule as the request validator: a value it accepted is never refused here, nor by the template.
        if (HeaderValue.Problem(site.PermissionsPolicy, MaxHeaderValueLength, required: false) is { } permissions && !errors.Any(e => e.Field == "permissionsPolicy"))
        {
            errors.Add(new("permissionsPolicy", "Permissions-Policy " + permissions));
        }

        if (site.ReferrerPolicy is not null && site.ReferrerPolicy.Contains(',', StringComparison.Ordinal))
        {
            errors.Add(new("referrerPolicy", "CloudFront sends a single Referrer-Policy value; choose one policy instead of a list."));
        }

        // Cache rules become each object's Cache-Control metadata (the uploads set it), where no template pattern
        // guards them: check them here whatever the request validation said.
        for (var i = 0; i < site.CacheRules.Count; i++)
        {
            if (!IsHeaderText(site.CacheRules[i].CacheControl))
            {
                errors.Add(new($"cacheRules[{i}].cacheControl", $"Cache-Control must be 1 to {MaxHeaderValueLength} printable ASCII characters on one line."));
            }

            if (!IsHeaderText(site.CacheRules[i].PathPattern))
            {
                errors.Add(new($"cacheRules[{i}].pathPattern", "Path pattern must be printable ASCII on one line."));
            }
        }

        if (errors.Count > 0)
        {
            return RenderResult.Failure(errors);
        }

        var headers = new List<RenderedStack>();
        var siteHeaders = HeadersFor(new HeaderSet(cspValue!, site.ReferrerPolicy ?? "", site.PermissionsPolicy ?? "", site.HstsPreload), site.Host, headers, errors);
        var stacks = new List<RenderedStack> { RenderSiteStack(request, site, siteHeaders, environment, errors) };
        for (var i = 0; i < site.RedirectFrom.Count; i++)
        {
            var redirectHeaders = HeadersFor(HeaderSet.LockedDown(site.HstsPreload), site.RedirectFrom[i], headers, errors);
            stacks.Add(RenderRedirectStack(request, site, site.RedirectFrom[i], i, redirectHeaders, environment, errors));
        }

        return errors.Count > 0 ? RenderResult.Failure(errors) : new RenderResult(stacks, []) { HeadersStacks = headers };
    }

    /// <summary>
    /// The headers stack of one header set and shard, in us-east-1 beside the stacks that import it (exports are per
    /// region). It carries only the settings' tags: it belongs to no request, so a second request using it changes nothing.
    /// </summary>
    /// <exception cref="ArgumentException">A header value the template refuses.</exception>
    public RenderedStack RenderHeaders(HeaderSet headerSet, int shard)
    {
        ArgumentNullException.ThrowIfNull(headerSet);
        var errors = new List<FieldError>();
        var stack = RenderHeaders(headerSet, shard, errors);
        return errors.Count == 0 ? stack : throw new ArgumentException($"{errors[0].Field}: {errors[0].Message}", nameof(headerSet));
    }

    /// <summary>The shard a distribution's name picks among the copies of its header set.</summary>
    public int HeadersShard(string name) => Shards.Of(name, _settings.HeadersShards);

    private string HeadersFor(HeaderSet headerSet, string shardName, List<RenderedStack> headers, List<FieldError> errors)
    {
        var stack = RenderHeaders(headerSet, HeadersShard(shardName), errors);
        if (!headers.Any(h => h.StackName == stack.StackName))
        {
            headers.Add(stack);
        }

        return stack.StackName;
    }

    private RenderedStack RenderHeaders(HeaderSet headerSet, int shard, List<FieldError> errors)
    {
        var template = _templates.Json(StackKind.Headers);
        var parameters = TemplateParameters.Fill(template, headerSet.Parameters(), out var violations);
        var fields = new Dictionary<string, string>
        {
            ["ContentSecurityPolicy"] = "csp",
            ["ReferrerPolicy"] = "referrerPolicy",
            ["PermissionsPolicy"] = "permissionsPolicy",
        };
        foreach (var violation in violations)
        {
            errors.Add(new(fields.GetValueOrDefault(violation.Parameter, PortalStackSettings.SectionName), $"{violation.Parameter} {violation.Message}"));
        }

        var tags = new List<StackTag> { new(StackTags.Kind, StackKindNames.Of(StackKind.Headers)) };
        tags.AddRange(SettingsTags());
        return new RenderedStack(StackNaming.Headers(_settings.StackNamePrefix, headerSet.Key(shard)), CloudFrontRegion, TemplateJson.Write(template), parameters, tags)
        {
            Kind = StackKind.Headers,
        };
    }

    private RenderedStack RenderSiteStack(RenderRequest request, SiteSpec site, string headersStack, DeploymentEnvironment environment, List<FieldError> errors)
    {
        var template = _templates.Json(StackKind.Site);
        var values = new Dictionary<string, string>
        {
            ["SiteName"] = site.Host,
            ["Environment"] = StackNaming.EnvironmentName(environment),
            ["HostedZoneId"] = site.HostedZoneId,
            ["LogBucketName"] = _settings.LogBucketName,
            ["DefaultDocumentFunctionName"] = DefaultDocumentFunction(ServedNames.Site(site.Host, environment)),
            ["HeadersStackName"] = headersStack,
            ["ViewerProtocolPolicy"] = ViewerProtocolValue(site.ViewerProtocol),
            ["MinimumProtocolVersion"] = _settings.MinimumProtocolVersion,
            ["PriceClass"] = _settings.PriceClass,
            ["DeployRepository"] = site.DeployRole?.Repository ?? "",
            ["DeployBranch"] = site.DeployRole?.Branch ?? "",
            ["PermissionsBoundaryName"] = StackNaming.SiteRoleBoundary(_settings.StackNamePrefix),
            ["NotFoundPagePath"] = site.SinglePageApplication ? "" : SiteErrorPages.NotFoundPage(site) ?? "",
            ["SinglePageApplication"] = site.SinglePageApplication ? "true" : "false",
            ["KeepContentVersions"] = site.KeepContentVersions.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var fields = new Dictionary<string, string>
        {
            ["SiteName"] = "host",
            ["NotFoundPagePath"] = "notFoundPage",
            ["KeepContentVersions"] = "keepContentVersions",
            ["HostedZoneId"] = "hostedZoneId",
            ["DeployRepository"] = "deployRole.repository",
            ["DeployBranch"] = "deployRole.branch",
        };
        return Finish(template, values, fields, errors, "csp", request, environment, StackKind.Site,
            StackNaming.Site(_settings.StackNamePrefix, environment, site.Host));
    }

    private RenderedStack RenderRedirectStack(RenderRequest request, SiteSpec site, string redirectFrom, int index, string headersStack, DeploymentEnvironment environment, List<FieldError> errors)
    {
        var template = _templates.Json(StackKind.Redirect);
        var function = template["Resources"]!["RedirectFunction"]!["Properties"]!.AsObject();
        function["FunctionCode"] = FunctionCodeBinder.Bind(function["FunctionCode"], new Dictionary<string, string>
        {
            ["CanonicalHost"] = ServedNames.Site(site.Host, environment),
            ["StrictTransportSecurity"] = StrictTransportSecurity(site.HstsPreload),
        });
        var values = new Dictionary<string, string>
        {
            ["RedirectFrom"] = redirectFrom,
            ["SiteName"] = site.Host,
            ["Environment"] = StackNaming.EnvironmentName(environment),
            ["HostedZoneId"] = site.HostedZoneId,
            ["ContentBucketName"] = _settings.ContentBucketName,
            ["ContentBucketRegion"] = _settings.SharedRegion,
            ["LogBucketName"] = _settings.LogBucketName,
            ["HeadersStackName"] = headersStack,
            ["HstsPreload"] = site.HstsPreload ? "true" : "false",
            ["ViewerProtocolPolicy"] = ViewerProtocolValue(site.ViewerProtocol),
            ["MinimumProtocolVersion"] = _settings.MinimumProtocolVersion,
            ["PriceClass"] = _settings.PriceClass,
        };
        var field = $"redirectFrom[{index}]";
        var fields = new Dictionary<string, string> { ["RedirectFrom"] = field, ["SiteName"] = "host", ["HostedZoneId"] = "hostedZoneId" };
        return Finish(template, values, fields, errors, field, request, environment, StackKind.Redirect,
            StackNaming.Redirect(_settings.StackNamePrefix, environment, redirectFrom));
    }

    private RenderResult RenderMtaSts(RenderRequest request, MtaStsSpec mta, DeploymentEnvironment environment, List<FieldError> errors)
    {
        if (errors.Count > 0)
        {
            return RenderResult.Failure(errors);
        }

        var (publication, problems) = MtaStsPublication.Create(mta, environment);
        if (publication is null)
        {
            return RenderResult.Failure(problems);
        }

        var headers = new List<RenderedStack>();
        var headersStack = HeadersFor(HeaderSet.LockedDown(hstsPreload: true), mta.Domain, headers, errors);
        var template = _templates.Json(StackKind.MtaSts);
        var function = template["Resources"]!["PolicyFunction"]!["Properties"]!.AsObject();
        var code = FunctionCodeBinder.Bind(function["FunctionCode"], new Dictionary<string, string> { ["PolicyText"] = publication.PolicyText });
        if (Encoding.UTF8.GetByteCount(code) > FunctionCodeBinder.MaxCodeBytes)
        {
            return RenderResult.Failure([new("mx", $"The policy makes the function's code {Encoding.UTF8.GetByteCount(code)} bytes long; CloudFront takes at most {FunctionCodeBinder.MaxCodeBytes}. Use fewer or broader mx patterns.")]);
        }

        function["FunctionCode"] = code;
        var values = new Dictionary<string, string>
        {
            ["MailDomain"] = mta.Domain,
            ["HostedZoneId"] = mta.HostedZoneId ?? "",
            ["PolicyMode"] = MtaStsPublication.ModeText(publication.Policy.Mode),
            ["PolicyMaxAge"] = mta.MaxAge.ToString(CultureInfo.InvariantCulture),
            ["PolicyMx"] = string.Join(",", mta.Mx),
            ["PolicyId"] = publication.PolicyId,
            ["TlsRptRua"] = string.Join(",", mta.TlsRptRua),
            ["ContentBucketName"] = _settings.ContentBucketName,
            ["ContentBucketRegion"] = _settings.SharedRegion,
            ["LogBucketName"] = _settings.LogBucketName,
            ["HeadersStackName"] = headersStack,
            ["MinimumProtocolVersion"] = _settings.MinimumProtocolVersion,
            ["PriceClass"] = _settings.PriceClass,
        };
        var fields = new Dictionary<string, string>
        {
            ["MailDomain"] = "domain",
            ["HostedZoneId"] = "hostedZoneId",
            ["PolicyMode"] = "mode",
            ["PolicyMaxAge"] = "maxAge",
            ["PolicyMx"] = "mx",
            ["TlsRptRua"] = "tlsRptRua",
        };
        var stack = Finish(template, values, fields, errors, "mx", request, environment, StackKind.MtaSts,
            StackNaming.MtaSts(_settings.StackNamePrefix, mta.Domain));
        return errors.Count > 0 ? RenderResult.Failure(errors) : new RenderResult([stack], []) { MtaSts = publication, HeadersStacks = headers };
    }

    private RenderedStack Finish(
        JsonObject template,
        Dictionary<string, string> values,
        Dictionary<string, string> fields,
        List<FieldError> errors,
        string sizeField,
        RenderRequest request,
        DeploymentEnvironment environment,
        StackKind kind,
        string stackName)
    {
        // What only fed code the renderer wrote itself (a function's values) is no longer used: leave it out.
        foreach (var removed in TemplateUsage.RemoveUnused(template))
        {
            values.Remove(removed);
        }

        var parameters = TemplateParameters.Fill(template, values, out var violations);
        foreach (var violation in violations)
        {
            var field = fields.TryGetValue(violation.Parameter, out var f) ? f : PortalStackSettings.SectionName;
            errors.Add(new(field, $"{violation.Parameter} {violation.Message}"));
        }

        // Indented for a reviewer; compact only when indenting alone would pass CloudFormation's limit.
        var body = TemplateJson.Write(template);
        if (Encoding.UTF8.GetByteCount(body) > MaxTemplateBodyBytes)
        {
            body = TemplateJson.WriteCompact(template);
        }

        var size = Encoding.UTF8.GetByteCount(body);
        if (size > MaxTemplateBodyBytes)
        {
            errors.Add(new(sizeField, $"The rendered template is {size} bytes; CloudFormation takes at most {MaxTemplateBodyBytes}. Use fewer distinct values."));
        }

        return new RenderedStack(stackName, CloudFrontRegion, body, parameters, RequestTags(request, environment, kind))
        {
            Kind = kind,
            Environment = environment,
        };
    }

    /// <summary>
    /// Copies 2 to N of the default-document function, named <c>{DefaultDocumentFunctionName}-{n}</c> after the template's
    /// own (copy 1 keeps the plain name, so stacks deployed with one function keep theirs). CloudFront associates a
    /// function with at most 100 distributions; each distribution picks a copy by <see cref="DefaultDocumentFunction"/>.
    /// </summary>
    private static void AddFunctionShards(JsonObject template, int shards)
    {
        var resources = template["Resources"]!.AsObject();
        var rebuilt = new JsonObject();
        foreach (var (name, resource) in resources.ToList())
        {
            resources.Remove(name);
            rebuilt.Add(name, resource);
            if (name != DefaultDocumentFunctionResource)
            {
                continue;
            }

            for (var copy = 2; copy <= shards; copy++)
            {
                var clone = resource!.DeepClone();
                clone["Properties"]!["Name"] = new JsonObject { ["Fn::Sub"] = "${DefaultDocumentFunctionName}-" + copy.ToString(CultureInfo.InvariantCulture) };
                rebuilt.Add(DefaultDocumentFunctionResource + copy.ToString(CultureInfo.InvariantCulture), clone);
            }
        }

        template["Resources"] = rebuilt;
    }

    private const string DefaultDocumentFunctionResource = "DefaultDocumentFunction";

    /// <summary>The copy of the default-document function a distribution serving <paramref name="servedHost"/> uses.</summary>
    public string DefaultDocumentFunction(string servedHost)
    {
        var shard = Shards.Of(servedHost, _settings.DefaultDocumentFunctionShards);
        return shard == 0 ? _settings.DefaultDocumentFunctionName : $"{_settings.DefaultDocumentFunctionName}-{shard + 1}";
    }

    private static IReadOnlyList<StackParameter> FillOrThrow(JsonObject template, Dictionary<string, string> values)
    {
        var parameters = TemplateParameters.Fill(template, values, out var violations);
        if (violations.Count > 0)
        {
            throw new ArgumentException($"Invalid stack settings: {violations[0].Parameter} {violations[0].Message}");
        }

        return parameters;
    }

    private static bool IsHeaderText(string? value) => HeaderValue.IsValid(value, MaxHeaderValueLength, required: true);

    /// <summary>The seed recipe's rules: long-lived assets, two weeks for JPEG images, twelve hours for HTML.</summary>
    public static IReadOnlyList<CacheRule> SeedCacheRules { get; } =
    [
        new("/assets/*", "max-age=15552000"),
        new("*.jpg", "max-age=1209600"),
        new("*.html", "max-age=43200"),
    ];

    public static string StrictTransportSecurity(bool preload) =>
        preload ? "max-age=31536000; includeSubDomains; preload" : "max-age=31536000; includeSubDomains";

    private static string ViewerProtocolValue(ViewerProtocol protocol) =>
        protocol == ViewerProtocol.HttpsOnly ? "https-only" : "redirect-to-https";

    private List<StackTag> RequestTags(RenderRequest request, DeploymentEnvironment environment, StackKind kind)
    {
        var tags = new List<StackTag>
        {
            new(StackTags.RequestId, request.RequestId.ToString("D")),
            new(StackTags.Revision, request.Revision.ToString(CultureInfo.InvariantCulture)),
            new(StackTags.Environment, StackNaming.EnvironmentName(environment)),
            new(StackTags.Requester, StackTags.SanitizeValue(request.Requester)),
            new(StackTags.Kind, StackKindNames.Of(kind)),
        };
        tags.AddRange(SettingsTags());
        return tags;
    }

    private IEnumerable<StackTag> SettingsTags() =>
        _settings.Tags.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => new StackTag(pair.Key, pair.Value));
}
