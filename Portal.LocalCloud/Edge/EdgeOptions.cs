namespace Portal.LocalCloud.Edge;

/// <summary>How the edge server listens. Port 0 takes a free port.</summary>
public sealed record EdgeOptions
{
    /// <summary>Holds the local certificate authority (made on first start, reused after).</summary>
    public required string DataDirectory { get; init; }

    public int HttpPort { get; init; }

    public int HttpsPort { get; init; }

    /// <summary>How long one CloudFront Function may run before the viewer gets CloudFront's 503.</summary>
    public TimeSpan FunctionTimeBudget { get; init; } = TimeSpan.FromSeconds(1);
}
