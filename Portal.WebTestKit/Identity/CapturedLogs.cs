using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Portal.Tests.Identity;

/// <summary>Every log line the portal writes, kept for a test to read (add with <c>services.AddSingleton&lt;ILoggerProvider&gt;(logs)</c>).</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _lines = new();

    public IReadOnlyList<CapturedLog> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            var properties = state as IEnumerable<KeyValuePair<string, object?>>;
            owner._lines.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception), exception, properties?.ToDictionary(p => p.Key, p => p.Value) ?? []));
        }
    }
}

/// <summary>One log line: its category, level, text, exception and structured properties.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, string Message, Exception? Exception, IReadOnlyDictionary<string, object?> Properties);
