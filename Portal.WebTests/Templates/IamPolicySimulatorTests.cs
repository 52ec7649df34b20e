using System.Text.Json.Nodes;

namespace Portal.Tests.Templates;

/// <summary>
/// The tests' IAM simulator follows AWS's documented evaluation logic
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html): an explicit deny wins,
/// a permissions boundary limits what identity policies allow, and condition operators behave as
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html describes.
/// </summary>
public sealed class IamPolicySimulatorTests
{
    private const string Stack = "arn:aws:cloudformation:us-east-1:123456789012:stack/portal-site-testing-docs-example-com/1a2b";

    [Fact]
    public void An_explicit_deny_wins_over_an_allow_in_the_same_or_another_policy()
    {
        var allow = Policy(Statement("Allow", "s3:*", "*"));
        var deny = Policy(Statement("Deny", "s3:DeleteObject", "arn:aws:s3:::bucket/*"));
        var request = new IamRequest("s3:DeleteObject", "arn:aws:s3:::bucket/a.html");

        Assert.Equal(IamDecision.ExplicitDeny, IamPolicySimulator.Evaluate([allow, deny], null, request));
        Assert.Equal(IamDecision.ExplicitDeny, IamPolicySimulator.Evaluate([Policy(Statement("Allow", "s3:*", "*"), Statement("Deny", "s3:Delete*", "*"))], null, request));
        Assert.Equal(IamDecision.Allowed, IamPolicySimulator.Evaluate([allow, deny], null, request with { Action = "s3:GetObject" }));
    }

    [Fact]
    public void What_no_statement_allows_is_denied_implicitly()
    {
        var policy = Policy(Statement("Allow", "s3:GetObject", "arn:aws:s3:::bucket/*"));

        Assert.Equal(IamDecision.ImplicitDeny, IamPolicySimulator.Evaluate([policy], null, new("s3:PutObject", "arn:aws:s3:::bucket/a")));
        Assert.Equal(IamDecision.ImplicitDeny, IamPolicySimulator.Evaluate([policy], null, new("s3:GetObject", "arn:aws:s3:::other/a")));
        Assert.Equal(IamDecision.ImplicitDeny, IamPolicySimulator.Evaluate([], null, new("s3:GetObject", "arn:aws:s3:::bucket/a")));
        Assert.Equal(IamDecision.Allowed, IamPolicySimulator.Evaluate([policy], null, new("S3:getobject", "arn:aws:s3:::bucket/a")));
    }

    [Fact]
    public void A_permissions_boundary_allows_only_what_both_it_and_an_identity_policy_allow()
    {
        var identity = Policy(Statement("Allow", "s3:*", "arn:aws:s3:::bucket/*"), Statement("Allow", "iam:CreateUser", "*"));
        var boundary = Policy(Statement("Allow", ["s3:GetObject", "s3:PutObject", "cloudfront:CreateInvalidation"], "*"));

        Assert.Equal(IamDecision.Allowed, IamPolicySimulator.Evaluate([identity], boundary, new("s3:PutObject", "arn:aws:s3:::bucket/a")));

        // The identity policy allows it, the boundary does not.
        Assert.Equal(IamDecision.ImplicitDeny, IamPolicySimulator.Evaluate([identity], boundary, new("iam:CreateUser", "arn:aws:iam::123456789012:user/x")));

        // The boundary allows it, no identity policy does: a boundary grants nothing by itself.
        Assert.Equal(IamDecision.ImplicitDeny, IamPolicySimulator.Evaluate([identity], boundary, new("cloudfront:CreateInvalidation", "arn:aws:cloudfront::123456789012:distribution/E1")));

        // A Deny in the boundary is an explicit deny.
        var denyingBoundary = Policy(Statement("Allow", "*", "*"), Statement("Deny", "s3:PutObject", "*"));
        Assert.Equal(IamDecision.ExplicitDeny, IamPolicySimulator.Evaluate([identity], denyingBoundary, new("s3:PutObject", "arn:aws:s3:::bucket/a")));
    }

    [Theory]
    [InlineData("arn:aws:cloudformation:us-east-1:123456789012:stack/portal-site-testing-docs-example-com/1a2b", true)]
    [InlineData("arn:aws:cloudformation:eu-west-1:123456789012:stack/portal-shared/9f", true)]
    [InlineData("arn:aws:cloudformation:us-east-1:210987654321:stack/portal-shared/9f", false)]
    [InlineData("arn:aws:cloudformation:us-east-1:123456789012:stack/other-shared/9f", false)]
    [InlineData("arn:aws:cloudformation:us-east-1:123456789012:stack/portal-shared", false)]
    [InlineData("arn:aws:cloudformation:us-east-1:123:456789012:stack/portal-x/1", false)]
    public void ArnLike_matches_each_of_the_six_parts_on_its_own(string arn, bool allowed)
    {
        // The '*' for the region may not reach into the account: a request of another account never matches.
        var policy = Policy(Statement("Allow", "cloudformation:DescribeStacks", "*", new JsonObject
        {
            ["ArnLike"] = new JsonObject { ["aws:SourceArn"] = "arn:aws:cloudformation:*:123456789012:stack/portal-*/*" },
        }));

        Assert.Equal(allowed, IamPolicySimulator.IsAllowed(policy, new("cloudformation:DescribeStacks", "*", new Dictionary<string, string> { ["aws:SourceArn"] = arn })));
    }

    [Fact]
    public void ArnEquals_takes_wildcards_like_ArnLike_and_a_resource_pattern_is_matched_part_by_part_too()
    {
        var condition = Policy(Statement("Allow", "cloudformation:CreateChangeSet", "*", new JsonObject
        {
            ["ArnEquals"] = new JsonObject { ["cloudformation:RoleArn"] = "arn:aws:iam::123456789012:role/portal-cloudformation" },
        }));
        Assert.True(IamPolicySimulator.IsAllowed(condition, ChangeSet("arn:aws:iam::123456789012:role/portal-cloudformation")));
        Assert.False(IamPolicySimulator.IsAllowed(condition, ChangeSet("arn:aws:iam::123456789012:role/portal-admin")));
        Assert.False(IamPolicySimulator.IsAllowed(condition, new("cloudformation:CreateChangeSet", Stack)));

        var resource = Policy(Statement("Allow", "cloudformation:*", "arn:aws:cloudformation:*:123456789012:stack/portal-*/*"));
        Assert.True(IamPolicySimulator.IsAllowed(resource, new("cloudformation:DeleteStack", Stack)));
        Assert.False(IamPolicySimulator.IsAllowed(resource, new("cloudformation:DeleteStack", Stack.Replace("123456789012", "999999999999", StringComparison.Ordinal))));
    }

    [Fact]
    public void Null_tests_whether_the_key_is_in_the_request_at_all()
    {
        var denyWithoutRole = Policy(
            Statement("Allow", "cloudformation:CreateChangeSet", "*"),
            Statement("Deny", "cloudformation:CreateChangeSet", "*", new JsonObject { ["Null"] = new JsonObject { ["cloudformation:RoleArn"] = "true" } }));

        Assert.Equal(IamDecision.ExplicitDeny, IamPolicySimulator.Evaluate([denyWithoutRole], null, new("cloudformation:CreateChangeSet", Stack)));
        Assert.Equal(IamDecision.Allowed, IamPolicySimulator.Evaluate([denyWithoutRole], null, ChangeSet("arn:aws:iam::123456789012:role/any")));

        var onlyWithTag = Policy(Statement("Allow", "s3:PutObject", "*", new JsonObject { ["Null"] = new JsonObject { ["s3:RequestObjectTag/team"] = "false" } }));
        Assert.False(IamPolicySimulator.IsAllowed(onlyWithTag, new("s3:PutObject", "arn:aws:s3:::b/k")));
        Assert.True(IamPolicySimulator.IsAllowed(onlyWithTag, new("s3:PutObject", "arn:aws:s3:::b/k", new Dictionary<string, string> { ["s3:RequestObjectTag/team"] = "web" })));
    }

    [Fact]
    public void A_missing_key_fails_a_positive_operator_and_satisfies_a_negated_one_or_IfExists()
    {
        static JsonNode With(string op) => Policy(Statement("Allow", "iam:CreateRole", "*", new JsonObject
        {
            [op] = new JsonObject { ["iam:PermissionsBoundary"] = "arn:aws:iam::123456789012:policy/boundary" },
        }));
        var none = new IamRequest("iam:CreateRole", "arn:aws:iam::123456789012:role/r");

        Assert.False(IamPolicySimulator.IsAllowed(With("StringEquals"), none));
        Assert.False(IamPolicySimulator.IsAllowed(With("ArnEquals"), none));
        Assert.True(IamPolicySimulator.IsAllowed(With("StringNotEquals"), none));
        Assert.True(IamPolicySimulator.IsAllowed(With("StringEqualsIfExists"), none));
        var other = none with { Context = new Dictionary<string, string> { ["iam:PermissionsBoundary"] = "arn:aws:iam::123456789012:policy/other" } };
        Assert.False(IamPolicySimulator.IsAllowed(With("StringEqualsIfExists"), other));
        Assert.True(IamPolicySimulator.IsAllowed(With("StringNotEquals"), other));
    }

    [Theory]
    [InlineData("testing/docs.example.com/", true)]
    [InlineData("testing/", true)]
    [InlineData("production/a/b/c", true)]
    [InlineData("productio/", false)]
    [InlineData("Testing/docs/", false)]
    [InlineData("logs/testing/", false)]
    public void StringLike_matches_star_across_slashes_and_is_case_sensitive(string prefix, bool allowed)
    {
        var policy = Policy(Statement("Allow", "s3:ListBucketVersions", "arn:aws:s3:::content", new JsonObject
        {
            ["StringLike"] = new JsonObject { ["s3:prefix"] = new JsonArray("testing/*", "productio?/*") },
        }));

        Assert.Equal(allowed, IamPolicySimulator.IsAllowed(policy, new("s3:ListBucketVersions", "arn:aws:s3:::content", new Dictionary<string, string> { ["s3:prefix"] = prefix })));
    }

    [Fact]
    public void ForAllValues_holds_for_an_empty_set_and_ForAnyValue_does_not()
    {
        static JsonNode With(string op) => Policy(Statement("Allow", "iam:TagRole", "*", new JsonObject
        {
            [op] = new JsonObject { ["aws:TagKeys"] = new JsonArray("portal:request-id", "portal:revision") },
        }));
        static IamRequest Tags(params string[] keys) => new("iam:TagRole", "arn:aws:iam::123456789012:role/r") { Lists = new Dictionary<string, IReadOnlyList<string>> { ["aws:TagKeys"] = keys } };

        Assert.True(IamPolicySimulator.IsAllowed(With("ForAllValues:StringEquals"), Tags("portal:revision")));
        Assert.False(IamPolicySimulator.IsAllowed(With("ForAllValues:StringEquals"), Tags("portal:revision", "owner")));
        Assert.True(IamPolicySimulator.IsAllowed(With("ForAllValues:StringEquals"), Tags()));
        Assert.True(IamPolicySimulator.IsAllowed(With("ForAnyValue:StringEquals"), Tags("portal:revision", "owner")));
        Assert.False(IamPolicySimulator.IsAllowed(With("ForAnyValue:StringEquals"), Tags()));
    }

    [Fact]
    public void PassRole_is_allowed_only_for_the_named_role_and_service()
    {
        const string Role = "arn:aws:iam::123456789012:role/portal-cloudformation";
        var policy = Policy(Statement("Allow", "iam:PassRole", Role, new JsonObject
        {
            ["StringEquals"] = new JsonObject { ["iam:PassedToService"] = "cloudformation.amazonaws.com" },
        }));
        static IamRequest Pass(string role, string service) => new("iam:PassRole", role, new Dictionary<string, string> { ["iam:PassedToService"] = service });

        Assert.True(IamPolicySimulator.IsAllowed(policy, Pass(Role, "cloudformation.amazonaws.com")));
        Assert.False(IamPolicySimulator.IsAllowed(policy, Pass(Role, "lambda.amazonaws.com")));
        Assert.False(IamPolicySimulator.IsAllowed(policy, Pass("arn:aws:iam::123456789012:role/admin", "cloudformation.amazonaws.com")));
    }

    [Fact]
    public void What_it_does_not_simulate_is_an_error_not_a_guess()
    {
        var request = new IamRequest("s3:GetObject", "arn:aws:s3:::b/k", new Dictionary<string, string> { ["aws:SourceIp"] = "192.0.2.1" });
        Assert.Throws<NotSupportedException>(() => IamPolicySimulator.IsAllowed(Policy(Statement("Allow", "s3:*", "*", new JsonObject
        {
            ["IpAddress"] = new JsonObject { ["aws:SourceIp"] = "192.0.2.0/24" },
        })), request));
        Assert.Throws<NotSupportedException>(() => IamPolicySimulator.IsAllowed(Policy(Statement("Allow", "s3:*", "arn:aws:s3:::b/${aws:username}/*", new JsonObject
        {
            ["StringEquals"] = new JsonObject { ["aws:SourceIp"] = "${aws:username}" },
        })), request));
        Assert.Throws<NotSupportedException>(() => IamPolicySimulator.IsAllowed(JsonNode.Parse("""{"Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}""")!, request));
    }

    private static IamRequest ChangeSet(string roleArn) =>
        new("cloudformation:CreateChangeSet", Stack, new Dictionary<string, string> { ["cloudformation:RoleArn"] = roleArn });

    private static JsonObject Statement(string effect, string action, string resource, JsonObject? condition = null) =>
        Statement(effect, [action], resource, condition);

    private static JsonObject Statement(string effect, string[] actions, string resource, JsonObject? condition = null)
    {
        var statement = new JsonObject
        {
            ["Effect"] = effect,
            ["Action"] = new JsonArray(actions.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()),
            ["Resource"] = resource,
        };
        if (condition is not null)
        {
            statement["Condition"] = condition;
        }

        return statement;
    }

    private static JsonObject Policy(params JsonNode[] statements) =>
        new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = new JsonArray(statements) };
}
