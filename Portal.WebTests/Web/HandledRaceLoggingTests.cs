using System.Collections.Concurrent;
using System.Xml.Linq;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Data;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Web;

/// <summary>
/// A database race the portal expects and handles (here: a Data Protection key stored under a name that is taken, as
/// when a key is revoked twice or two replicas write at once) logs no error and no stack trace.
/// </summary>
public sealed class HandledRaceLoggingTests
{
    [Fact]
    public async Task A_handled_unique_violation_logs_nothing_at_error_level()
    {
        var logs = new ConcurrentQueue<(string Category, LogLevel Level, string Message, Exception? Exception)>();
        await using var portal = new PortalFactory();
        await using var logged = portal.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(new Capture(logs))));
        var repository = logged.Services.GetRequiredService<DatabaseXmlRepository>();
        logs.Clear();

        repository.StoreElement(new XElement("key", new XAttribute("id", "1")), "revocation-twice");
        repository.StoreElement(new XElement("key", new XAttribute("id", "2")), "revocation-twice");

        Assert.Equal(["1", "2"], repository.GetAllElements().Where(e => e.Name == "key" && e.Attribute("id")?.Value is "1" or "2").Select(e => e.Attribute("id")!.Value).Order(StringComparer.Ordinal));
        var errors = logs.Where(l => l.Category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) && (l.Level >= LogLevel.Error || l.Exception is not null)).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception?.GetType().Name}")));
    }

    private sealed class Capture(ConcurrentQueue<(string, LogLevel, string, Exception?)> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, logs);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<(string, LogLevel, string, Exception?)> logs) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    logs.Enqueue((category, logLevel, formatter(state, exception), exception));
                }
            }
        }
    }
}
