using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;
using Portal.Core.Approvals;
using Portal.Core.Requests;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Requests;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// A bUnit context with MudBlazor and the real request services on a fresh SQLite database, for component tests.
/// Create with <see cref="CreateAsync"/>; dispose after the test.
/// </summary>
public sealed class PortalComponentContext : IAsyncDisposable
{
    private PortalComponentContext(BunitContext bunit, IDbContextFactory<PortalDbContext> db, FakeTimeProvider clock, RequestService requests, RequestQueries queries)
    {
        Bunit = bunit;
        Db = db;
        Clock = clock;
        Requests = requests;
        Queries = queries;
    }

    public BunitContext Bunit { get; }

    /// <summary>The test's database, for a test that stores what a component shows.</summary>
    public IDbContextFactory<PortalDbContext> Db { get; }

    public FakeTimeProvider Clock { get; }

    public RequestService Requests { get; }

    public RequestQueries Queries { get; }

    public static async Task<PortalComponentContext> CreateAsync(Action<IServiceCollection>? services = null)
    {
        var db = await TestDatabases.SqliteAsync();
        var clock = new FakeTimeProvider(TestActors.SignedInAt.AddMinutes(1));
        var requests = new RequestService(db, clock, Options.Create(new ApprovalOptions()));
        var bunit = new BunitContext();
        bunit.Services.AddMudServices();
        bunit.Services.AddSingleton(requests);
        bunit.Services.AddSingleton<TimeProvider>(clock);
        bunit.Services.AddSingleton(Portal.Sandbox.SandboxZones.None);

        // Plan-only: the forms read teams and allowed zones from the database; nothing asks Route53.
        var access = new Portal.Infrastructure.Aws.AwsAccess(
            new Portal.Infrastructure.Aws.SdkCredentialSource(new Amazon.Runtime.BasicAWSCredentials("AKIDEXAMPLEEXAMPLE12", "secret"), null), clock,
            Portal.Infrastructure.Aws.AwsModeSetting.PlanOnly);
        var route53 = new NoRoute53();
        bunit.Services.AddSingleton(new Portal.Infrastructure.Teams.TeamAdministration(db, route53, access, clock));
        bunit.Services.AddSingleton(new Portal.Infrastructure.Deployments.RequestConflicts(db, new Portal.Infrastructure.Deployments.HostedZoneLookup(route53, db), access));
        bunit.Services.AddSingleton(new Portal.Core.Templates.StackRenderer(Portal.Core.Templates.TemplateLibrary.LoadEmbedded(), Portal.Core.Templates.PortalStackSettings.Example));
        bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        services?.Invoke(bunit.Services);
        return new PortalComponentContext(bunit, db, clock, requests, new RequestQueries(db));
    }

    public ValueTask DisposeAsync() => Bunit.DisposeAsync();
}

/// <summary>Route53 for components that must not reach it (plan-only): any call is a test's mistake.</summary>
internal sealed class NoRoute53 : Portal.Infrastructure.Aws.Route53.IRoute53Client
{
    public Task<Portal.Infrastructure.Aws.Route53.ListHostedZonesByNameResponse> ListHostedZonesByNameAsync(Portal.Infrastructure.Aws.Route53.ListHostedZonesByNameRequest request, CancellationToken ct = default) =>
        throw new InvalidOperationException("No Route53 in component tests.");

    public Task<Portal.Infrastructure.Aws.Route53.ListHostedZonesResponse> ListHostedZonesAsync(Portal.Infrastructure.Aws.Route53.ListHostedZonesRequest request, CancellationToken ct = default) =>
        throw new InvalidOperationException("No Route53 in component tests.");

    public Task<Portal.Infrastructure.Aws.Route53.ListResourceRecordSetsResponse> ListResourceRecordSetsAsync(Portal.Infrastructure.Aws.Route53.ListResourceRecordSetsRequest request, CancellationToken ct = default) =>
        throw new InvalidOperationException("No Route53 in component tests.");

    public Task<Portal.Infrastructure.Aws.Route53.GetHostedZoneResponse> GetHostedZoneAsync(Portal.Infrastructure.Aws.Route53.GetHostedZoneRequest request, CancellationToken ct = default) =>
        throw new InvalidOperationException("No Route53 in component tests.");
}
