using Portal.Tests.Api;
using Portal.Core.Content;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Infrastructure.Deployments;
using Portal.Tests.Aws;
using Portal.Tests.Infrastructure;
using Portal.Tests.Templates;

namespace Portal.Tests.Deployments;

/// <summary>
/// bootstrap.yaml gives the portal and CloudFormation exactly what the lifecycle needs: a site (with a deploy role and
/// a redirect) and an MTA-STS policy are run from testing to decommission on the local cloud, every API call the
/// portal made is simulated against the portal role's policy, and every resource action CloudFormation performed
/// (mapped through templates/IAM-ACTIONS.md) against the service role's policy.
/// </summary>
public sealed class BootstrapPolicyTests : IAsyncLifetime
{
    private readonly MovableClock _clock = new();
    private EngineHarness _h = null!;
    private BootstrapPolicies _policies = null!;

    public async Task InitializeAsync()
    {
        _h = await EngineHarness.StartAsync(clock: _clock);
        var settings = EngineHarness.Settings;
        _policies = BootstrapPolicies.Render(settings.StackNamePrefix, settings.ContentBucketName, settings.LogBucketName, [TestSpecs.ZoneId]);

        // The administrator deployed bootstrap.yaml, and the portal is configured with its service role.
        _h.Aws.CloudFormation.AddAccountRole(_policies.ServiceRoleArn);
        _h.NewEngine(AwsTestClients.FastRetries with { CloudFormationRoleArn = _policies.ServiceRoleArn }, _h.NewPreflight());
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Every_call_of_the_lifecycle_is_allowed_to_the_portal_role_and_every_resource_action_to_the_service_role()
    {
        var site = await _h.SubmitAsync(TestSpecs.Site() with { DeployRole = new GitHubDeployRole("acme/docs-site", "main") });
        await _h.RunUntilStateAsync(site, RequestState.TestingReady, RequestState.TestingFailed);
        Assert.Equal(RequestState.TestingReady, (await _h.RequestAsync(site)).State);
        var uploaded = await _h.Content.PublishAsync(site, new MemoryStream(Content.TestZips.Site(("index.html", "<p>docs</p>"), ("assets/site.css", "p{}"))), TestActors.Alice, ContentSource.Upload);
        Assert.True(uploaded.Succeeded, uploaded.Problem?.Message);
        await LiveAsync(site);

        var testingStack = StackNaming.Site("portal", DeploymentEnvironment.Testing, "docs.example.com");
        var tracked = Assert.Single(await _h.QueryAsync(db => db.Stacks.Where(s => s.StackName == testingStack)));
        Assert.True(await _h.Tracker.RequestDriftCheckAsync(tracked.Id));
        await _h.RunUntilAsync(async () => (await _h.QueryAsync(db => db.Stacks.Where(s => s.Id == tracked.Id && s.DriftCheckedAt != null))).Count == 1);
        await DecommissionAsync(site);

        var policy = await _h.SubmitAsync(TestSpecs.MtaSts());
        await _h.RunUntilStateAsync(policy, RequestState.TestingReady, RequestState.TestingFailed);
        await LiveAsync(policy);
        await DecommissionAsync(policy);

        using (var clients = new AwsTestClients(_h.Aws))
        {
            Assert.NotNull(await new HostedZoneLookup(clients.Route53, _h.Db).FindZoneAsync("docs.example.com"));
        }

        // The portal's own calls, each as IAM authorizes it.
        var calls = _h.Aws.Calls;
        var portalRefused = calls.SelectMany(c => PortalCallPermissions.RequestsFor(c).Select(r => (Call: c, Request: r)))
            .Where(x => _policies.AsPortal(x.Request) != IamDecision.Allowed)
            .Select(x => $"{x.Call.Operation}: {x.Request.Action} on {x.Request.Resource}").Distinct().ToList();
        Assert.Empty(portalRefused);
        var changeSets = calls.Where(c => c.Operation == "CreateChangeSet").ToList();
        Assert.NotEmpty(changeSets);
        Assert.All(changeSets, c => Assert.Equal(_policies.ServiceRoleArn, c.Input["RoleARN"]));
        foreach (var operation in new[] { "ExecuteChangeSet", "DeleteStack", "DetectStackDrift", "PutObject", "CopyObject", "DeleteObjects", "CreateInvalidation", "ListHostedZonesByName", "GetHostedZone", "ListDistributions", "GetServiceQuota" })
        {
            Assert.Contains(calls, c => c.Operation == operation);
        }

        // What CloudFormation did with the service role, each action after templates/IAM-ACTIONS.md.
        var table = IamActionTable.Read();
        var actions = _h.Aws.CloudFormation.ResourceActions;
        Assert.All(actions, a => Assert.Equal(_policies.ServiceRoleArn, a.RoleArn));
        var serviceRefused = actions.SelectMany(a => IamActionTable.RequestsFor(table, a).Select(r => (Action: a, Request: r)))
            .Where(x => _policies.AsServiceRole(x.Request) != IamDecision.Allowed)
            .Select(x => $"{x.Action.Verb} {x.Action.ResourceType}: {x.Request.Action} on {x.Request.Resource}").Distinct().ToList();
        Assert.Empty(serviceRefused);
        var role = Assert.Single(actions, a => a.ResourceType == "AWS::IAM::Role" && a.Verb == "Create");
        Assert.Equal(_policies.BoundaryArn, role.Properties["PermissionsBoundary"]!.GetValue<string>());
        Assert.Contains(actions, a => a.ResourceType == "AWS::IAM::Role" && a.Verb == "Delete");
        Assert.Contains(actions, a => a.ResourceType == "AWS::CloudFront::Distribution" && a.Verb == "Delete");
        Assert.Contains(actions, a => a.ResourceType == "AWS::S3::Bucket" && a.Verb == "Create");
        // Each site environment's bucket was emptied, then deleted with its stack.
        var siteBuckets = actions.Where(a => a.ResourceType == "AWS::S3::Bucket" && a.Verb == "Delete").ToList();
        Assert.Equal(2, siteBuckets.Count);
        Assert.All(siteBuckets, a => Assert.False(_h.Aws.S3.HasBucket(a.PhysicalId)));
        Assert.Empty(_h.Aws.Violations);
    }

    public static TheoryData<string, IamRequest> BroaderPortalRequests() => new()
    {
        { "content of another bucket", new("s3:PutObject", "arn:aws:s3:::someone-elses-bucket/testing/docs.example.com/index.html") },
        { "the log bucket", new("s3:PutObject", "arn:aws:s3:::portal-logs-test/CloudFront/x.gz") },
        { "outside the environment prefixes", new("s3:PutObject", "arn:aws:s3:::portal-content-test/other/index.html") },
        { "listing the whole content bucket", new("s3:ListBucketVersions", "arn:aws:s3:::portal-content-test") },
        { "writing the shared content bucket", new("s3:PutObject", "arn:aws:s3:::portal-content-test/testing/docs.example.com/index.html") },
        { "a bucket of another prefix's sites", new("s3:PutObject", "arn:aws:s3:::other-site-testing-docs-example-com-contentbucket-abcdefabcdef/testing/docs.example.com/index.html") },
        { "records of another zone", new("route53:ListResourceRecordSets", "arn:aws:route53:::hostedzone/ZOTHERZONE00000") },
        { "a stack without the prefix", new("cloudformation:DeleteStack", "arn:aws:cloudformation:us-east-1:123456789012:stack/production-db/1") },
        { "a change set without a service role", new("cloudformation:CreateChangeSet", "arn:aws:cloudformation:us-east-1:123456789012:stack/portal-site-testing-x/1") },
        { "a change set with another role", new("cloudformation:CreateChangeSet", "arn:aws:cloudformation:us-east-1:123456789012:stack/portal-site-testing-x/1",
            new Dictionary<string, string> { ["cloudformation:RoleArn"] = "arn:aws:iam::123456789012:role/admin" }) },
        { "passing another role", new("iam:PassRole", "arn:aws:iam::123456789012:role/admin", new Dictionary<string, string> { ["iam:PassedToService"] = "cloudformation.amazonaws.com" }) },
        { "passing the service role to another service", new("iam:PassRole", "arn:aws:iam::123456789012:role/portal-cloudformation", new Dictionary<string, string> { ["iam:PassedToService"] = "lambda.amazonaws.com" }) },
        { "a user", new("iam:CreateUser", "arn:aws:iam::123456789012:user/mallory") },
        { "a role", new("iam:CreateRole", "arn:aws:iam::123456789012:role/portal-site-x") },
        { "a stack of its own", new("cloudformation:CreateStack", "arn:aws:cloudformation:us-east-1:123456789012:stack/portal-x/1") },
    };

    [Theory]
    [MemberData(nameof(BroaderPortalRequests))]
    public void The_portal_role_is_refused_anything_broader(string _, IamRequest request) =>
        Assert.NotEqual(IamDecision.Allowed, _policies.AsPortal(request));

    /// <summary>
    /// Adopting a site reads its distribution and lists and copies its bucket: granted only when the administrator names
    /// the buckets (AdoptableBuckets), read only, and on no other bucket.
    /// </summary>
    [Fact]
    public void Only_the_buckets_named_for_adoption_may_be_read_and_only_read()
    {
        var settings = EngineHarness.Settings;
        var adopting = BootstrapPolicies.Render(settings.StackNamePrefix, settings.ContentBucketName, settings.LogBucketName, [TestSpecs.ZoneId],
            adoptableBuckets: ["old-docs-site", "old-blog"]);
        IamRequest[] adoption =
        [
            new("cloudfront:GetDistribution", "arn:aws:cloudfront::123456789012:distribution/E1U5RQF7T870K0"),
            new("s3:ListBucket", "arn:aws:s3:::old-docs-site"),
            new("s3:GetObject", "arn:aws:s3:::old-docs-site/index.html"),
            new("s3:ListBucket", "arn:aws:s3:::old-blog"),
            new("s3:GetObject", "arn:aws:s3:::old-blog/site/posts/1.html"),
        ];
        IamRequest[] beyond =
        [
            new("s3:PutObject", "arn:aws:s3:::old-docs-site/index.html"),
            new("s3:DeleteObject", "arn:aws:s3:::old-docs-site/index.html"),
            new("s3:ListBucket", "arn:aws:s3:::someone-elses-bucket"),
            new("s3:GetObject", "arn:aws:s3:::someone-elses-bucket/index.html"),
            new("cloudfront:UpdateDistribution", "arn:aws:cloudfront::123456789012:distribution/E1U5RQF7T870K0"),
        ];

        Assert.All(adoption, request => Assert.Equal(IamDecision.Allowed, adopting.AsPortal(request)));
        Assert.All(adoption, request => Assert.NotEqual(IamDecision.Allowed, _policies.AsPortal(request)));
        Assert.All(beyond, request => Assert.NotEqual(IamDecision.Allowed, adopting.AsPortal(request)));
    }

    [Fact]
    public void A_change_set_without_a_role_is_denied_explicitly() =>
        Assert.Equal(IamDecision.ExplicitDeny, _policies.AsPortal(new("cloudformation:CreateChangeSet", "arn:aws:cloudformation:us-east-1:123456789012:stack/portal-site-testing-x/1")));

    public static TheoryData<string, IamRequest> BroaderServiceRoleRequests() => new()
    {
        { "a role without the boundary", new("iam:CreateRole", "arn:aws:iam::123456789012:role/portal-site-testing-x-DeployRole-ABC") },
        { "a role with another boundary", new("iam:CreateRole", "arn:aws:iam::123456789012:role/portal-site-testing-x-DeployRole-ABC",
            new Dictionary<string, string> { ["iam:PermissionsBoundary"] = "arn:aws:iam::aws:policy/AdministratorAccess" }) },
        { "a role outside the site stacks", new("iam:CreateRole", "arn:aws:iam::123456789012:role/portal-portal",
            new Dictionary<string, string> { ["iam:PermissionsBoundary"] = "arn:aws:iam::123456789012:policy/portal-site-role-boundary" }) },
        { "an inline policy on the portal's own role", new("iam:PutRolePolicy", "arn:aws:iam::123456789012:role/portal-portal") },
        { "removing a boundary", new("iam:DeleteRolePermissionsBoundary", "arn:aws:iam::123456789012:role/portal-site-testing-x-DeployRole-ABC") },
        { "a user", new("iam:CreateUser", "arn:aws:iam::123456789012:user/mallory") },
        { "records in another zone", new("route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/ZOTHERZONE00000") },
        { "another bucket", new("s3:CreateBucket", "arn:aws:s3:::someone-elses-bucket") },
        { "objects in the content bucket", new("s3:PutObject", "arn:aws:s3:::portal-content-test/production/docs.example.com/index.html") },
        { "a Lambda function", new("lambda:CreateFunction", "arn:aws:lambda:us-east-1:123456789012:function:x") },
    };

    [Theory]
    [MemberData(nameof(BroaderServiceRoleRequests))]
    public void The_service_role_is_refused_anything_broader(string _, IamRequest request) =>
        Assert.NotEqual(IamDecision.Allowed, _policies.AsServiceRole(request));

    [Fact]
    public void A_role_a_stack_makes_cannot_exceed_the_boundary_whatever_its_own_policy_says()
    {
        // A deploy role whose own policy was widened (by a changed template) still only publishes testing content.
        var wide = System.Text.Json.Nodes.JsonNode.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""")!;
        IamDecision As(IamRequest r) => IamPolicySimulator.Evaluate([wide], _policies.Boundary, r);

        Assert.Equal(IamDecision.Allowed, As(new("s3:PutObject", "arn:aws:s3:::portal-site-testing-docs-example-com-contentbucket-abcdefabcdef/testing/docs.example.com/index.html")));
        Assert.Equal(IamDecision.ImplicitDeny, As(new("s3:PutObject", "arn:aws:s3:::portal-site-production-docs-example-com-contentbucket-abcdefabcdef/production/docs.example.com/index.html")));
        Assert.Equal(IamDecision.ImplicitDeny, As(new("s3:PutObject", "arn:aws:s3:::portal-content-test/testing/docs.example.com/index.html")));
        Assert.Equal(IamDecision.ImplicitDeny, As(new("iam:CreateUser", "arn:aws:iam::123456789012:user/mallory")));
        Assert.Equal(IamDecision.ImplicitDeny, As(new("iam:PassRole", _policies.ServiceRoleArn)));
    }

    [Fact]
    public void Only_the_configured_principal_with_the_external_id_may_assume_the_portal_role()
    {
        var statement = Assert.Single(_policies.PortalTrust["Statement"]!.AsArray())!;
        Assert.Equal("210987654321", statement["Principal"]!["AWS"]!.GetValue<string>());
        Assert.Equal("sts:AssumeRole", statement["Action"]!.GetValue<string>());
        Assert.Equal("portal-external-id-test", statement["Condition"]!["StringEquals"]!["sts:ExternalId"]!.GetValue<string>());
        var service = Assert.Single(_policies.ServiceRoleTrust["Statement"]!.AsArray())!;
        Assert.Equal("cloudformation.amazonaws.com", service["Principal"]!["Service"]!.GetValue<string>());
    }

    private async Task LiveAsync(Guid id)
    {
        await _h.PromoteAsync(id);
        await _h.RunUntilStateAsync(id, RequestState.Live, RequestState.ProductionFailed);
        var request = await _h.RequestAsync(id);
        Assert.True(request.State == RequestState.Live, $"{request.State}: {request.FailureMessage}");
    }

    private async Task DecommissionAsync(Guid id)
    {
        var owner = Actor.Person("alice", "Alice Requester", _h.Clock.GetUtcNow(), PortalRole.Requester);
        var asked = await _h.Requests.ApplyAsync(id, WorkflowAction.RequestDecommission, owner, "no longer needed");
        Assert.True(asked.Succeeded, asked.Message);
        var approver = Actor.Person("bob", "Bob Approver", _h.Clock.GetUtcNow(), PortalRole.Approver);
        var approved = await _h.Requests.ApplyAsync(id, WorkflowAction.ApproveDecommission, approver, "agreed");
        Assert.True(approved.Succeeded, approved.Message);
        await _h.RunUntilStateAsync(id, RequestState.Decommissioned, RequestState.DecommissionFailed, RequestState.Retiring, RequestState.RetirementFailed);
        if ((await _h.RequestAsync(id)).RetiringUntil is { } until)
        {
            // An MTA-STS policy is served with mode none until earlier policies expired: skip that wait on the portal's clock.
            _clock.Offset += until - _clock.GetUtcNow() + TimeSpan.FromMinutes(1);
            await _h.RunUntilStateAsync(id, RequestState.Decommissioned, RequestState.DecommissionFailed, RequestState.RetirementFailed);
        }

        var request = await _h.RequestAsync(id);
        Assert.True(request.State == RequestState.Decommissioned, $"{request.State}: {request.FailureMessage}");
    }
}
