using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Approvals;
using Portal.Infrastructure.Aws;
using Portal.Core.Content;
using Portal.Infrastructure.Content;
using Portal.Core.Deployments;
using Portal.Infrastructure.Deployments;
using Portal.Core.Observability;
using Portal.Infrastructure.Persistence;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Tests.Aws;
using Portal.Tests.Aws.Loopback;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Deployments;

/// <summary>
/// The deployment engine wired as the portal wires it (real renderer, real clients, a migrated database) against a
/// loopback AWS endpoint; passes are run by the test, so it controls when the portal "runs" and when it "stops".
/// </summary>
public sealed class EngineHarness : IAsyncDisposable
{
    public static readonly PortalStackSettings Settings = new()
    {
        StackNamePrefix = "portal",
        SharedRegion = "eu-west-1",
        ContentBucketName = "portal-content-test",
        LogBucketName = "portal-logs-test",
    };

    public static readonly DeploymentOptions FastOptions = new()
    {
        ActivePollMin = TimeSpan.FromMilliseconds(50),
        ActivePollMax = TimeSpan.FromMilliseconds(200),
        StableCheckInterval = TimeSpan.FromMinutes(15),
        LeaseDuration = TimeSpan.FromSeconds(5),
    };

    private readonly List<IDisposable> _owned = [];
    private ContentOptions _contentOptions;

    private EngineHarness(LoopbackAws aws, IDbContextFactory<PortalDbContext> db, TimeProvider clock, DeploymentOptions options, PortalMetrics? metrics)
    {
        Aws = aws;
        Metrics = metrics;

        // The account holds the zone the test specs name, as a real account holds its domains' zones.
        aws.Route53.AddZone(TestSpecs.ZoneName, TestSpecs.ZoneId);
        StagingDirectory = Directory.CreateTempSubdirectory("portal-staging-").FullName;
        _contentOptions = new ContentOptions { StagingDirectory = StagingDirectory };
        Db = db;
        Clock = clock;
        Options = options;
        Requests = new RequestService(db, clock, Microsoft.Extensions.Options.Options.Create(new ApprovalOptions()), metrics, plans: new PlansRequired());
        Accounts = new Portal.Infrastructure.Accounts.TargetAccountDirectory(db);
        var templates = TemplateLibrary.LoadEmbedded();
        Source = new RendererStackSource(new StackRenderer(templates, Settings), Settings, templates, Accounts);

        // Registered accounts are reached as the portal reaches them: STS AssumeRole, signed with the endpoint's own key.
        var own = new SdkCredentialSource(LoopbackAws.Credentials, null);
        var stsHttp = new HttpClient();
        _owned.Add(own);
        _owned.Add(stsHttp);
        var sts = new AwsHttpPipeline(stsHttp, own, AwsTestClients.FastRetries with { ServiceUrl = aws.ServiceUrl }, clock);
        AccountCredentials = new AccountCredentialSource(own, AccountContext, account => new AssumedRoleCredentialSource(sts, account, clock));
        _owned.Add(AccountCredentials);
        Engine = NewEngine();
    }

    public LoopbackAws Aws { get; }

    /// <summary>The registered accounts the renderer and the engine read.</summary>
    public Portal.Infrastructure.Accounts.TargetAccountDirectory Accounts { get; }

    public AwsAccountContext AccountContext { get; } = new();

    /// <summary>What the engine's clients sign with: the endpoint's key, or a registered account's assumed role.</summary>
    public AccountCredentialSource AccountCredentials { get; }

    /// <summary>Where the engine, its AWS clients and the content store count, when the test listens (null: not counted).</summary>
    public PortalMetrics? Metrics { get; }

    public IDbContextFactory<PortalDbContext> Db { get; }

    public TimeProvider Clock { get; }

    public DeploymentOptions Options { get; }

    public RequestService Requests { get; }

    /// <summary>What the engines made from now on render; replace it to act as a new release of the templates.</summary>
    public IDeploymentStackSource Source { get; set; }

    public DeploymentEngine Engine { get; private set; }

    public StackTracker Tracker { get; private set; } = null!;

    /// <summary>Content publishing on the same database and endpoint; its limits are <see cref="ContentOptions"/> when the engine was made.</summary>
    public ContentPublisher Content { get; private set; } = null!;

    public ContentQueries ContentQueries => new(Db);

    /// <summary>Content limits; setting them makes a new <see cref="Content"/> publisher.</summary>
    public ContentOptions ContentOptions
    {
        get => _contentOptions;
        set
        {
            _contentOptions = value;
            Content = NewPublisher();
        }
    }

    /// <summary>Where uploads are unpacked; empty again after every upload.</summary>
    public string StagingDirectory { get; }

    public DeploymentStatusFeed Feed { get; } = new();

    /// <param name="clock">The portal's clock (the local cloud keeps the real one): a test moves it to skip a wait the portal schedules.</param>
    public static async Task<EngineHarness> StartAsync(
        LifecycleTimings? timings = null, DeploymentOptions? options = null, int seed = 1, PortalMetrics? metrics = null, TimeProvider? clock = null,
        Portal.LocalCloud.Providers.LocalCloudQuotas? quotas = null)
    {
        var aws = await LoopbackAws.StartAsync(timings: timings, seed: seed, quotas: quotas);
        return new EngineHarness(aws, await TestDatabases.SqliteAsync(), clock ?? TimeProvider.System, options ?? FastOptions, metrics);
    }

    /// <summary>A new engine on the same database and endpoint, as after a restart of the portal; with a preflight when given.</summary>
    public DeploymentEngine NewEngine(AwsSettings? settings = null, IDeploymentPreflight? preflight = null)
    {
        var clients = new AwsTestClients(Aws, settings, metrics: Metrics, credentials: AccountCredentials);
        _owned.Add(clients);
        var events = new StackEventStore(clients.CloudFormation);
        var access = new AwsAccess(new SdkCredentialSource(LoopbackAws.Credentials, null), Clock);
        _owned.Add(access);
        Tracker = new StackTracker(Db, clients.CloudFormation, events, Feed, Clock, Microsoft.Extensions.Options.Options.Create(Options), AccountContext, Accounts);
        var store = new S3ContentStore(clients.S3, Metrics);
        Engine = new DeploymentEngine(Db, Requests, Source, new StackDeployer(clients.CloudFormation, events, Clock, Microsoft.Extensions.Options.Options.Create(Options), clients.Settings, store, AccountContext), Tracker,
            clients.CloudFront, store, access, new WorkLeases(Db, Clock), Feed, Clock, Microsoft.Extensions.Options.Options.Create(Options), metrics: Metrics, preflight: preflight,
            accountContext: AccountContext, accounts: Accounts);
        Content = NewPublisher(clients, access);
        return Engine;
    }

    /// <summary>The preflight as the portal wires it, over this endpoint and database.</summary>
    public DeploymentPreflight NewPreflight()
    {
        var clients = new AwsTestClients(Aws, metrics: Metrics);
        _owned.Add(clients);
        var access = new AwsAccess(new SdkCredentialSource(LoopbackAws.Credentials, null), Clock);
        _owned.Add(access);
        return new DeploymentPreflight(clients.Route53, clients.CloudFront, new Portal.Infrastructure.Aws.ServiceQuotas.ServiceQuotasClient(clients.Pipeline),
            new HostedZoneLookup(clients.Route53, Db), Source, Settings, access, Db, Clock);
    }

    /// <summary>A publisher with the current <see cref="ContentOptions"/>.</summary>
    public ContentPublisher NewPublisher(AwsTestClients? clients = null, AwsAccess? access = null)
    {
        if (clients is null)
        {
            clients = new AwsTestClients(Aws, metrics: Metrics);
            _owned.Add(clients);
        }

        if (access is null)
        {
            access = new AwsAccess(new SdkCredentialSource(LoopbackAws.Credentials, null), Clock);
            _owned.Add(access);
        }

        return new ContentPublisher(Db, new S3ContentStore(clients.S3, Metrics), clients.CloudFront, access, new WorkLeases(Db, Clock), Settings, Microsoft.Extensions.Options.Options.Create(ContentOptions), Microsoft.Extensions.Options.Options.Create(Options), Clock);
    }

    public async Task<Guid> SubmitAsync(RequestSpec spec)
    {
        var created = await Requests.CreateAsync(spec, TestActors.Alice, submit: true);
        Assert.True(created.Succeeded, created.Message + string.Join("; ", created.Errors.Select(e => e.Field + " " + e.Message)));
        return created.RequestId;
    }

    /// <summary>
    /// The owner asks for approval, the engine plans production (its change sets, not executed), and an approver who
    /// signed in just now promotes that plan.
    /// </summary>
    public async Task PromoteAsync(Guid id)
    {
        var asked = await Requests.ApplyAsync(id, WorkflowAction.RequestApproval, TestActors.Alice);
        Assert.True(asked.Succeeded, asked.Message);
        var plan = await PlanReadyAsync(id);
        var approver = Actor.Person("bob", "Bob Approver", Clock.GetUtcNow(), PortalRole.Approver);
        var promoted = await Requests.PromoteAsync(id, approver, expectedPlanId: plan.Id);
        Assert.True(promoted.Succeeded, promoted.Message);
    }

    /// <summary>Runs passes until the request's current production plan is ready (or failed, which fails the test) and returns it.</summary>
    public async Task<ProductionPlan> PlanReadyAsync(Guid id, Guid? after = null)
    {
        ProductionPlan? plan = null;
        await RunUntilAsync(async () =>
        {
            plan = await Requests.CurrentPlanAsync(id);
            return plan is not null && plan.Id != after && plan.Status is PlanStatus.Ready or PlanStatus.Failed;
        });
        Assert.True(plan!.Status == PlanStatus.Ready, $"The production plan failed: {plan.FailureMessage}");
        return plan;
    }

    /// <summary>The harness deploys, so production is planned before approval, as in the portal.</summary>
    private sealed class PlansRequired : IProductionPlanRequirement
    {
        public Task<bool> RequiredAsync(CancellationToken ct) => Task.FromResult(true);
    }

    public async Task<PortalRequest> RequestAsync(Guid id) => (await Requests.GetAsync(id))!;

    /// <summary>Runs passes until the condition holds; fails the test if it does not within the time given.</summary>
    public async Task RunUntilAsync(Func<Task<bool>> done, TimeSpan? timeout = null, DeploymentEngine? engine = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (!await done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The deployment did not reach the expected state in time. Violations: " + string.Join(" | ", Aws.Violations));
            }

            await (engine ?? Engine).RunOnceAsync();
            await Task.Delay(20);
        }
    }

    public Task RunUntilStateAsync(Guid id, params RequestState[] states) =>
        RunUntilAsync(async () => { var state = (await RequestAsync(id)).State; return Array.IndexOf(states, state) >= 0; });

    public async Task<List<T>> QueryAsync<T>(Func<PortalDbContext, IQueryable<T>> query)
    {
        await using var db = await Db.CreateDbContextAsync();
        return await query(db).ToListAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        await Aws.DisposeAsync();
        Directory.Delete(StagingDirectory, recursive: true);
    }
}
