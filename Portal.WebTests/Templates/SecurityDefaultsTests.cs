using System.Text.Json.Nodes;
using Portal.Core.Templates;

namespace Portal.Tests.Templates;

/// <summary>
/// The security defaults of DESIGN.md section 4, one test per rule, each over every stack the matrix renders
/// (resolved with its own parameters, so conditions are applied as CloudFormation would apply them). Each test
/// also asserts that the stacks it inspects exist, so a rule can never pass by finding nothing.
/// </summary>
public sealed class SecurityDefaultsTests
{
    private static readonly string[] GetHead = ["GET", "HEAD"];
    private static readonly string[] ModernTls = ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"];

    private static readonly Lazy<IReadOnlyList<Resolved>> All = new(() =>
    {
        var all = RenderMatrix.AllStacks.Select(Resolve).ToList();
        var headers = all.Where(r => r.Stack.Kind == StackKind.Headers).GroupBy(r => r.Stack.StackName).ToDictionary(g => g.Key, g => g.First());
        return all.Select(r => r.Stack.Parameter("HeadersStackName") is { } name ? r with { Headers = headers[name] } : r).ToList();
    });

    private sealed record Resolved(string Case, RenderedStack Stack, JsonObject Raw, JsonObject Template)
    {
        /// <summary>The headers stack whose policy and origin access control the stack imports.</summary>
        public Resolved? Headers { get; init; }

        /// <summary>The stack's own resources of a type and those of the headers stack it imports.</summary>
        public IEnumerable<(string Name, JsonObject Properties)> WithImports(string type) =>
            Resources(type).Concat(Headers?.Resources(type) ?? []);

        /// <summary>Whether the served HSTS has preload: the headers stack's choice, else the stack's own parameter.</summary>
        public bool Preload => (Headers?.Stack.Parameter("HstsPreload") ?? Stack.Parameter("HstsPreload")) != "false";

        public IEnumerable<(string Name, JsonObject Properties)> Resources(string type) =>
            Template["Resources"]!.AsObject()
                .Where(r => r.Value!["Type"]!.GetValue<string>() == type)
                .Select(r => (r.Key, r.Value!["Properties"]!.AsObject()));

        public IEnumerable<JsonObject> Distributions => Resources("AWS::CloudFront::Distribution").Select(d => d.Properties["DistributionConfig"]!.AsObject());

        public IEnumerable<JsonObject> Behaviors => Distributions.SelectMany(d =>
            new[] { d["DefaultCacheBehavior"]!.AsObject() }.Concat((d["CacheBehaviors"] as JsonArray ?? []).Select(b => b!.AsObject())));

        public IEnumerable<JsonObject> SecurityHeaders => WithImports("AWS::CloudFront::ResponseHeadersPolicy")
            .Select(p => p.Properties["ResponseHeadersPolicyConfig"]!["SecurityHeadersConfig"]!.AsObject());

        public string Label(string name) => $"{Case} {Stack.StackName} {name}";
    }

    private static Resolved Resolve((string Case, RenderedStack Stack) entry)
    {
        var raw = JsonNode.Parse(entry.Stack.TemplateBody)!.AsObject();
        var parameters = entry.Stack.Parameters.ToDictionary(p => p.ParameterKey, p => p.ParameterValue);
        var (resolved, _) = TemplateEvaluator.Resolve(raw, parameters, entry.Stack.Region);
        return new Resolved(entry.Case, entry.Stack, raw, resolved);
    }

    private static List<(Resolved Stack, string Name, JsonObject Properties)> Buckets() =>
        All.Value.SelectMany(s => s.Resources("AWS::S3::Bucket").Select(b => (s, b.Name, b.Properties))).ToList();

    private static List<Resolved> WithDistributions() => All.Value.Where(s => s.Distributions.Any()).ToList();

    [Fact]
    public void Every_bucket_blocks_public_access()
    {
        var buckets = Buckets();
        Assert.NotEmpty(buckets);
        foreach (var (stack, name, properties) in buckets)
        {
            var block = properties["PublicAccessBlockConfiguration"]?.AsObject();
            Assert.True(block is not null, stack.Label(name));
            foreach (var flag in new[] { "BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets" })
            {
                Assert.True(block[flag]?.GetValue<bool>() == true, $"{stack.Label(name)} {flag}");
            }
        }
    }

    [Fact]
    public void Every_bucket_encrypts_at_rest()
    {
        var buckets = Buckets();
        Assert.NotEmpty(buckets);
        foreach (var (stack, name, properties) in buckets)
        {
            var algorithm = properties["BucketEncryption"]?["ServerSideEncryptionConfiguration"]?[0]?["ServerSideEncryptionByDefault"]?["SSEAlgorithm"]?.GetValue<string>();
            Assert.True(algorithm is "AES256" or "aws:kms", stack.Label(name));
        }
    }

    [Fact]
    public void Every_bucket_is_versioned()
    {
        var buckets = Buckets();
        Assert.NotEmpty(buckets);
        Assert.All(buckets, b => Assert.Equal("Enabled", b.Properties["VersioningConfiguration"]?["Status"]?.GetValue<string>()));
    }

    [Fact]
    public void Every_bucket_expires_old_versions_after_seven_days_and_logs_after_a_year()
    {
        var buckets = Buckets();
        Assert.NotEmpty(buckets);
        foreach (var (stack, name, properties) in buckets)
        {
            var rules = properties["LifecycleConfiguration"]!["Rules"]!.AsArray().Select(r => r!.AsObject()).Where(r => r["Status"]!.GetValue<string>() == "Enabled").ToList();
            Assert.Contains(rules, r => r["NoncurrentVersionExpiration"]?["NoncurrentDays"]?.GetValue<long>() == 7);
            var isLogBucket = properties["BucketName"]?.GetValue<string>() is { } named && named == stack.Stack.Parameter("LogBucketName");
            if (isLogBucket)
            {
                Assert.Contains(rules, r => r["ExpirationInDays"]?.GetValue<long>() == 365);
            }
            else
            {
                Assert.DoesNotContain(rules, r => r["ExpirationInDays"] is not null);
            }
        }
    }

    [Fact]
    public void Content_access_is_logged_to_the_log_bucket_and_every_distribution_logs()
    {
        var buckets = Buckets();
        Assert.NotEmpty(buckets);
        foreach (var (stack, name, properties) in buckets)
        {
            if (stack.Stack.Kind == StackKind.Site)
            {
                // A site environment's own bucket: S3 delivers server access logs only to a bucket in the same region,
                // and the log bucket may be in another; its reads are its distribution's logs (below).
                Assert.Equal("ContentBucket", name);
                Assert.Null(properties["LoggingConfiguration"]);
                continue;
            }

            var bucketName = properties["BucketName"]!.GetValue<string>();
            if (bucketName == stack.Stack.Parameter("LogBucketName"))
            {
                Assert.Null(properties["LoggingConfiguration"]);
            }
            else
            {
                Assert.Equal($"S3/{bucketName}/", properties["LoggingConfiguration"]!["LogFilePrefix"]!.GetValue<string>());
                Assert.NotNull(properties["LoggingConfiguration"]!["DestinationBucketName"]);
            }
        }

        var withDistributions = WithDistributions();
        Assert.NotEmpty(withDistributions);
        foreach (var stack in withDistributions)
        {
            foreach (var distribution in stack.Distributions)
            {
                var logging = distribution["Logging"]!.AsObject();
                Assert.Equal(stack.Stack.Parameter("LogBucketName") + ".s3.amazonaws.com", logging["Bucket"]!.GetValue<string>());
                Assert.StartsWith("CloudFront/", logging["Prefix"]!.GetValue<string>(), StringComparison.Ordinal);
                Assert.EndsWith("/", logging["Prefix"]!.GetValue<string>(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Origins_use_origin_access_control_limited_by_source_arn_and_never_an_identity()
    {
        Assert.DoesNotContain(All.Value, s => s.Resources("AWS::CloudFront::CloudFrontOriginAccessIdentity").Any());

        var withDistributions = WithDistributions();
        Assert.NotEmpty(withDistributions);
        foreach (var stack in withDistributions)
        {
            var controls = stack.WithImports("AWS::CloudFront::OriginAccessControl").Select(c => c.Properties["OriginAccessControlConfig"]!).ToList();
            Assert.Single(controls);
            Assert.Equal("always", controls[0]["SigningBehavior"]!.GetValue<string>());
            Assert.Equal("sigv4", controls[0]["SigningProtocol"]!.GetValue<string>());
            Assert.Equal("s3", controls[0]["OriginAccessControlOriginType"]!.GetValue<string>());
            var rawDistribution = stack.Raw["Resources"]!["Distribution"]!["Properties"]!["DistributionConfig"]!;
            foreach (var origin in rawDistribution["Origins"]!.AsArray())
            {
                // The headers stack's, imported: one origin access control serves all the distributions of that stack.
                Assert.Equal("""{"Fn::ImportValue":{"Fn::Sub":"${HeadersStackName}-OriginAccessControlId"}}""", origin!["OriginAccessControlId"]!.ToJsonString());
                Assert.Equal("", origin["S3OriginConfig"]!["OriginAccessIdentity"]!.GetValue<string>());
            }
        }

        var policies = All.Value.SelectMany(s => s.Resources("AWS::S3::BucketPolicy").Select(p => (s, p.Properties))).ToList();
        Assert.NotEmpty(policies);
        foreach (var (stack, properties) in policies)
        {
            foreach (var statement in properties["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject()))
            {
                if (statement["Effect"]!.GetValue<string>() != "Allow")
                {
                    continue;
                }

                Assert.NotEqual("\"*\"", statement["Principal"]!.ToJsonString());
                Assert.NotNull(statement["Condition"]!["ArnLike"]?["aws:SourceArn"] ?? statement["Condition"]!["StringEquals"]?["aws:SourceArn"]);
            }
        }

        // A site environment's bucket is read by its own distribution only.
        var sitePolicies = All.Value.Where(s => s.Stack.Kind == StackKind.Site).SelectMany(s => s.Raw["Resources"]!.AsObject()
            .Where(r => r.Value!["Type"]!.GetValue<string>() == "AWS::S3::BucketPolicy").Select(r => r.Value!["Properties"]!)).ToList();
        Assert.NotEmpty(sitePolicies);
        Assert.All(sitePolicies, p => Assert.Equal(
            """{"Fn::Sub":"arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Distribution}"}""",
            p["PolicyDocument"]!["Statement"]![0]!["Condition"]!["StringEquals"]!["aws:SourceArn"]!.ToJsonString()));

        Assert.Contains(policies, p => p.Properties["PolicyDocument"]!["Statement"]!.AsArray().Any(s =>
            s!["Principal"] is JsonObject principal && principal["Service"]?.GetValue<string>() == "cloudfront.amazonaws.com"
            && s["Condition"]!["ArnLike"]?["aws:SourceArn"]?.GetValue<string>() == $"arn:aws:cloudfront::{TemplateEvaluator.AccountId}:distribution/*"));
    }

    [Fact]
    public void Viewers_get_tls_1_2_or_newer_by_sni()
    {
        var withDistributions = WithDistributions();
        Assert.NotEmpty(withDistributions);
        foreach (var distribution in withDistributions.SelectMany(s => s.Distributions))
        {
            Assert.Contains(distribution["ViewerCertificate"]!["MinimumProtocolVersion"]!.GetValue<string>(), ModernTls);
            Assert.Equal("sni-only", distribution["ViewerCertificate"]!["SslSupportMethod"]!.GetValue<string>());
        }
    }

    [Fact]
    public void Distributions_speak_http2_and_http3()
    {
        var withDistributions = WithDistributions();
        Assert.NotEmpty(withDistributions);
        Assert.All(withDistributions.SelectMany(s => s.Distributions), d => Assert.Equal("http2and3", d["HttpVersion"]!.GetValue<string>()));
    }

    [Fact]
    public void Distributions_have_ipv6_and_both_a_and_aaaa_alias_records()
    {
        var withDistributions = WithDistributions();
        Assert.NotEmpty(withDistributions);
        var checkedRecords = 0;
        foreach (var stack in withDistributions)
        {
            var distribution = stack.Distributions.Single();
            Assert.True(distribution["IPV6Enabled"]!.GetValue<bool>(), stack.Label("Distribution"));
            var records = stack.Resources("AWS::Route53::RecordSet").Select(r => r.Properties).Where(r => r["AliasTarget"] is not null).ToList();
            if (string.IsNullOrEmpty(stack.Stack.Parameter("HostedZoneId")))
            {
                Assert.Empty(records);
                continue;
            }

            foreach (var alias in distribution["Aliases"]!.AsArray().Select(a => a!.GetValue<string>()))
            {
                foreach (var type in new[] { "A", "AAAA" })
                {
                    var record = Assert.Single(records, r => r["Name"]!.GetValue<string>() == alias && r["Type"]!.GetValue<string>() == type);
                    Assert.Equal("Z2FDTNDATAQYW2", record["AliasTarget"]!["HostedZoneId"]!.GetValue<string>());
                    checkedRecords++;
                }
            }
        }

        Assert.True(checkedRecords > 0);
    }

    [Fact]
    public void Distributions_allow_only_get_and_head()
    {
        var withDistributions = WithDistributions();
        Assert.NotEmpty(withDistributions);
        foreach (var behavior in withDistributions.SelectMany(s => s.Behaviors))
        {
            Assert.Equal(GetHead, behavior["AllowedMethods"]!.AsArray().Select(m => m!.GetValue<string>()));
            Assert.Equal(GetHead, behavior["CachedMethods"]!.AsArray().Select(m => m!.GetValue<string>()));
        }
    }

    [Fact]
    public void Every_response_carries_hsts_for_a_year_with_preload_unless_the_site_opts_out()
    {
        var withDistributions = WithDistributions();
        Assert.NotEmpty(withDistributions);
        foreach (var stack in withDistributions)
        {
            var expectPreload = stack.Preload;
            Assert.NotEmpty(stack.SecurityHeaders);
            foreach (var headers in stack.SecurityHeaders)
            {
                var hsts = headers["StrictTransportSecurity"]!;
                Assert.True(hsts["AccessControlMaxAgeSec"]!.GetValue<long>() >= 31_536_000, stack.Label("HSTS max-age"));
                Assert.True(hsts["IncludeSubdomains"]!.GetValue<bool>());
                Assert.Equal(expectPreload, hsts["Preload"]!.GetValue<bool>());
                Assert.True(hsts["Override"]!.GetValue<bool>());
            }

            foreach (var behavior in stack.Behaviors)
            {
                Assert.NotNull(behavior["ResponseHeadersPolicyId"]);
            }
        }

        // Opting out is the site's explicit choice; every other case in the matrix preloads.
        Assert.Contains(withDistributions, s => !s.Preload);
        Assert.Contains(withDistributions, s => s.Preload);
    }

    [Fact]
    public void Every_response_carries_a_content_security_policy()
    {
        var withDistributions = WithDistributions();
        Assert.NotEmpty(withDistributions);
        foreach (var stack in withDistributions)
        {
            Assert.NotEmpty(stack.SecurityHeaders);
            foreach (var headers in stack.SecurityHeaders)
            {
                Assert.False(string.IsNullOrWhiteSpace(headers["ContentSecurityPolicy"]!["ContentSecurityPolicy"]!.GetValue<string>()));
                Assert.True(headers["ContentSecurityPolicy"]!["Override"]!.GetValue<bool>());
            }
        }
    }

    [Fact]
    public void Every_response_forbids_framing()
    {
        var withDistributions = WithDistributions();
        Assert.NotEmpty(withDistributions);
        Assert.All(withDistributions.SelectMany(s => s.SecurityHeaders), h => Assert.Equal("DENY", h["FrameOptions"]!["FrameOption"]!.GetValue<string>()));
    }

    [Fact]
    public void Every_response_forbids_content_sniffing()
    {
        var withDistributions = WithDistributions();
        Assert.NotEmpty(withDistributions);
        Assert.All(withDistributions.SelectMany(s => s.SecurityHeaders), h => Assert.True(h["ContentTypeOptions"]!["Override"]!.GetValue<bool>()));
    }

    [Fact]
    public void No_stack_sends_expect_ct()
    {
        Assert.NotEmpty(All.Value);
        Assert.All(All.Value, s => Assert.DoesNotContain("expect-ct", s.Stack.TemplateBody, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Certificates_are_made_in_us_east_1()
    {
        var withCertificates = All.Value.Where(s => s.Resources("AWS::CertificateManager::Certificate").Any()).ToList();
        Assert.NotEmpty(withCertificates);
        foreach (var stack in withCertificates)
        {
            Assert.Equal("us-east-1", stack.Stack.Region);
            Assert.Equal("DNS", stack.Resources("AWS::CertificateManager::Certificate").Single().Properties["ValidationMethod"]!.GetValue<string>());
        }

        // The hand-deployable templates refuse any other region themselves.
        var stackWithRule = withCertificates[0];
        var parameters = stackWithRule.Stack.Parameters.ToDictionary(p => p.ParameterKey, p => p.ParameterValue);
        var (_, failures) = TemplateEvaluator.Resolve(stackWithRule.Raw, parameters, "eu-west-1");
        Assert.Contains(failures, f => f.Contains("us-east-1", StringComparison.Ordinal));
    }
}
