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
        bunit.Services.AddSingleton(new Portal.Core.Templates.StackRenderer(Portal.Core.Templates.TemplateLibrary.LoadEmbedded(), Portal.Core.Templates.PortalStackSettings.Example));
        bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        services?.Invoke(bunit.Services);
        return new PortalComponentContext(bunit, db, clock, requests, new RequestQueries(db));
    }

    public ValueTask DisposeAsync() => Bunit.DisposeAsync();
}
