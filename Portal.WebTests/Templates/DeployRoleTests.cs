using System.Text.Json.Nodes;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Templates;

namespace Portal.Tests.Templates;

/// <summary>
/// The optional CI/CD deploy role of a site's testing stack: trusted only by GitHub's OIDC tokens of one repository and
/// branch, valid against CloudFormation's IAM role schema, and allowed nothing beyond the testing prefix and the
/// testing distribution (checked by simulating the policy against requests a pipeline might make).
/// </summary>
public sealed class DeployRoleTests
{
    /// <summary>The testing environment's own bucket, as the evaluator names the stack's ContentBucket.</summary>
    private const string Bucket = "placeholder-contentbucket";
    private const string Account = TemplateEvaluator.AccountId;
    private const string Distribution = "placeholder-distribution";
    private static readonly SiteSpec Site = new()
    {
        Host = "handbook.example.com",
        HostedZoneId = "Z0123456789ABC",
        HostedZoneName = "example.com",
        DeployRole = new GitHubDeployRole("acme-corp/handbook.site", "release/2026-q4"),
    };

    [Fact]
    public void The_testing_stack_has_a_role_trusted_only_by_the_repositorys_branch_through_githubs_oidc_provider()
    {
        var (resources, outputs) = Resolve(Site, DeploymentEnvironment.Testing);

        var role = resources["DeployRole"]!;
        Assert.Equal("AWS::IAM::Role", role["Type"]!.GetValue<string>());
        var trust = Assert.Single(role["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]!.AsArray())!;
        Assert.Equal("Allow", trust["Effect"]!.GetValue<string>());
        Assert.Equal("sts:AssumeRoleWithWebIdentity", trust["Action"]!.GetValue<string>());
        Assert.Equal($"arn:aws:iam::{Account}:oidc-provider/token.actions.githubusercontent.com", trust["Principal"]!["Federated"]!.GetValue<string>());
        var conditions = trust["Condition"]!.AsObject();
        Assert.Equal(["StringEquals"], conditions.Select(c => c.Key));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["token.actions.githubusercontent.com:aud"] = "sts.amazonaws.com",
                ["token.actions.githubusercontent.com:sub"] = "repo:acme-corp/handbook.site:ref:refs/heads/release/2026-q4",
            },
            conditions["StringEquals"]!.AsObject().ToDictionary(c => c.Key, c => c.Value!.GetValue<string>()));
        Assert.True(outputs.ContainsKey("DeployRoleArn"));
    }

    [Fact]
    public void The_role_passes_cloudformations_iam_role_schema()
    {
        var (resources, _) = Resolve(Site, DeploymentEnvironment.Testing);
        var onlyRole = new JsonObject { ["Resources"] = new JsonObject { ["DeployRole"] = resources["DeployRole"]!.DeepClone() } };

        Assert.Contains("AWS::IAM::Role", ResourceSchemas.Shared.Types);
        Assert.Empty(ResourceSchemas.Shared.Validate(onlyRole));
    }

    [Theory]
    [InlineData("production with a role asked for", true, DeploymentEnvironment.Production)]
    [InlineData("testing without a role asked for", false, DeploymentEnvironment.Testing)]
    [InlineData("production without a role asked for", false, DeploymentEnvironment.Production)]
    public void No_other_stack_has_a_role(string _, bool withRole, DeploymentEnvironment environment)
    {
        var (resources, outputs) = Resolve(withRole ? Site : Site with { DeployRole = null }, environment);

        Assert.DoesNotContain(resources, r => r.Value!["Type"]!.GetValue<string>().StartsWith("AWS::IAM::", StringComparison.Ordinal));
        Assert.False(outputs.ContainsKey("DeployRoleArn"));
    }

    public static TheoryData<string, IamRequest, bool> Requests() => new()
    {
        { "upload a testing file", new("s3:PutObject", $"arn:aws:s3:::{Bucket}/testing/handbook.example.com/index.html"), true },
        { "upload deep in testing", new("s3:PutObject", $"arn:aws:s3:::{Bucket}/testing/handbook.example.com/a/b/c.css"), true },
        { "delete a testing file", new("s3:DeleteObject", $"arn:aws:s3:::{Bucket}/testing/handbook.example.com/old.html"), true },
        { "read a testing file", new("s3:GetObject", $"arn:aws:s3:::{Bucket}/testing/handbook.example.com/index.html"), true },
        { "list the testing prefix", new("s3:ListBucket", $"arn:aws:s3:::{Bucket}", Prefix("testing/handbook.example.com/")), true },
        { "list below the testing prefix", new("s3:ListBucket", $"arn:aws:s3:::{Bucket}", Prefix("testing/handbook.example.com/assets/")), true },
        { "invalidate the testing distribution", new("cloudfront:CreateInvalidation", $"arn:aws:cloudfront::{Account}:distribution/{Distribution}"), true },
        { "upload to production", new("s3:PutObject", $"arn:aws:s3:::{Bucket}/production/handbook.example.com/index.html"), false },
        { "delete in production", new("s3:DeleteObject", $"arn:aws:s3:::{Bucket}/production/handbook.example.com/index.html"), false },
        { "upload to another site's testing", new("s3:PutObject", $"arn:aws:s3:::{Bucket}/testing/other.example.com/index.html"), false },
        { "upload to a look-alike prefix", new("s3:PutObject", $"arn:aws:s3:::{Bucket}/testing/handbook.example.com.evil/index.html"), false },
        { "upload to the bucket root", new("s3:PutObject", $"arn:aws:s3:::{Bucket}/index.html"), false },
        { "upload to the shared content bucket", new("s3:PutObject", "arn:aws:s3:::acme-portal-content/testing/handbook.example.com/index.html"), false },
        { "upload to another site's bucket", new("s3:PutObject", "arn:aws:s3:::portal-site-testing-other-example-com-contentbucket-abcdefabcdef/testing/handbook.example.com/index.html"), false },
        { "upload to another bucket", new("s3:PutObject", $"arn:aws:s3:::other-bucket/testing/handbook.example.com/index.html"), false },
        { "list the whole bucket", new("s3:ListBucket", $"arn:aws:s3:::{Bucket}", Prefix("")), false },
        { "list production", new("s3:ListBucket", $"arn:aws:s3:::{Bucket}", Prefix("production/handbook.example.com/")), false },
        { "list without a prefix", new("s3:ListBucket", $"arn:aws:s3:::{Bucket}"), false },
        { "change object permissions", new("s3:PutObjectAcl", $"arn:aws:s3:::{Bucket}/testing/handbook.example.com/index.html"), false },
        { "delete an old version", new("s3:DeleteObjectVersion", $"arn:aws:s3:::{Bucket}/testing/handbook.example.com/index.html"), false },
        { "change the bucket policy", new("s3:PutBucketPolicy", $"arn:aws:s3:::{Bucket}"), false },
        { "invalidate another distribution", new("cloudfront:CreateInvalidation", $"arn:aws:cloudfront::{Account}:distribution/EPRODUCTION12"), false },
        { "change the distribution", new("cloudfront:UpdateDistribution", $"arn:aws:cloudfront::{Account}:distribution/{Distribution}"), false },
        { "pass a role", new("iam:PassRole", $"arn:aws:iam::{Account}:role/anything"), false },
        { "deploy a stack", new("cloudformation:CreateChangeSet", "*"), false },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void The_roles_policy_allows_only_the_testing_prefix_and_the_testing_distribution(string _, IamRequest request, bool allowed)
    {
        var (resources, _) = Resolve(Site, DeploymentEnvironment.Testing);
        var policies = resources["DeployRole"]!["Properties"]!["Policies"]!.AsArray();
        var document = Assert.Single(policies)!["PolicyDocument"]!;

        Assert.Equal(allowed, IamPolicySimulator.IsAllowed(document, request));
    }

    [Fact]
    public void The_simulator_refuses_what_it_cannot_judge()
    {
        var document = JsonNode.Parse("""{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}]}""")!;
        Assert.Throws<NotSupportedException>(() => IamPolicySimulator.IsAllowed(document, new IamRequest("s3:GetObject", "arn:aws:s3:::b/k", new Dictionary<string, string> { ["aws:SourceIp"] = "192.0.2.1" })));
    }

    private static Dictionary<string, string> Prefix(string prefix) => new Dictionary<string, string> { ["s3:prefix"] = prefix };

    private static (JsonObject Resources, JsonObject Outputs) Resolve(SiteSpec site, DeploymentEnvironment environment)
    {
        var result = RenderMatrix.Renderer(RenderMatrix.DefaultSettings).Render(new RenderRequest(RenderMatrix.RequestId, 1, "Alice", site), environment);
        Assert.True(result.IsSuccess, string.Join("; ", result.Errors.Select(e => $"{e.Field}: {e.Message}")));
        var stack = result.Stacks.Single(s => s.Kind == StackKind.Site);
        var (resolved, failures) = TemplateEvaluator.Resolve(JsonNode.Parse(stack.TemplateBody)!.AsObject(), stack.Parameters.ToDictionary(p => p.ParameterKey, p => p.ParameterValue), stack.Region);
        Assert.Empty(failures);
        return (resolved["Resources"]!.AsObject(), resolved["Outputs"]!.AsObject());
    }
}
