using Portal.Core.Accounts;
using Portal.Core.Workflow;
using Portal.Infrastructure.Accounts;
using Portal.Tests.Deployments;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Accounts;

/// <summary>
/// Two accounts of the local cloud (the sandbox's cloud): a request of the default account and one of a registered
/// account each deploy into their own account, which gets its own shared stack, buckets and site stacks; the engine
/// reaches the registered one through STS AssumeRole with its external id.
/// </summary>
public sealed class TwoAccountsHaveSeparateSharedStacksTests
{
    private const string OtherAccount = "210987654321";
    private const string RoleArn = "arn:aws:iam::210987654321:role/portal-marketing-portal";

    [Fact]
    public async Task Each_account_gets_its_own_shared_stack_and_the_requests_stacks()
    {
        await using var harness = await EngineHarness.StartAsync();
        var service = new TargetAccountService(harness.Db, harness.Accounts, EngineHarness.Settings, TimeProvider.System);
        var added = await service.AddAsync(new TargetAccountInput("marketing", OtherAccount, "eu-central-1", RoleArn, "external-id-1"), "Dana Admin");
        Assert.True(added.Succeeded, string.Join("; ", added.Errors.Select(e => e.Message)));

        // The account's administrator deployed the bootstrap stack (its role, trusting the external id) and holds the zone.
        harness.Aws.Endpoint.Sts.PutRole(RoleArn, "external-id-1");
        var other = harness.Aws.Endpoint.Account(OtherAccount);
        other.Route53.AddZone(TestSpecs.ZoneName, TestSpecs.ZoneId);

        var mine = await harness.SubmitAsync(TestSpecs.Site("docs.example.com"));
        var theirs = await harness.SubmitAsync(TestSpecs.Site("shop.example.com") with { Account = "marketing" });
        await harness.RunUntilStateAsync(mine, RequestState.TestingReady, RequestState.TestingFailed);
        await harness.RunUntilStateAsync(theirs, RequestState.TestingReady, RequestState.TestingFailed);
        foreach (var id in new[] { mine, theirs })
        {
            var request = await harness.RequestAsync(id);
            Assert.True(request.State == RequestState.TestingReady, $"{request.PrimaryName}: {request.State} {request.FailureMessage} | {string.Join(" | ", harness.Aws.Violations)}");
        }

        var defaults = harness.Aws.CloudFormation.AllStacks().Select(s => (s.Region, s.Name)).ToList();
        var marketing = other.CloudFormation.AllStacks().Select(s => (s.Region, s.Name)).ToList();
        Assert.Contains(("eu-west-1", "portal-shared"), defaults);
        Assert.Contains(("eu-central-1", "portal-marketing-shared"), marketing);
        Assert.DoesNotContain(marketing, s => s.Name == "portal-shared");
        Assert.DoesNotContain(defaults, s => s.Name.StartsWith("portal-marketing-", StringComparison.Ordinal));
        Assert.Contains(defaults, s => s.Name.Contains("docs-example-com", StringComparison.Ordinal));
        Assert.Contains(marketing, s => s.Name.Contains("shop-example-com", StringComparison.Ordinal));
        Assert.DoesNotContain(defaults, s => s.Name.Contains("shop-example-com", StringComparison.Ordinal));

        Assert.True(other.S3.HasBucket("portal-content-test-marketing"));
        Assert.True(other.S3.HasBucket("portal-logs-test-marketing"));
        Assert.False(harness.Aws.S3.HasBucket("portal-content-test-marketing"));
        Assert.Empty(harness.Aws.Violations);

        // The portal tracks each stack with its account, so the tracker's listings do not mistake one account's stacks as gone.
        var tracked = await harness.QueryAsync(db => db.Stacks.Where(s => s.StackName == "portal-marketing-shared").Select(s => s.Account));
        Assert.Equal(["marketing"], tracked);
    }
}
