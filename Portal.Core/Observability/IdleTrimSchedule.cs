namespace Portal.Core.Observability;

/// <summary>
/// When an idle portal gives memory back: once, after the last person's session (a Blazor circuit) has ended and
/// <see cref="Quiet"/> has passed without a new one. The collector keeps what it took for the busy moment (free regions,
/// large objects awaiting a full collection) while nothing asks it to collect; one compacting collection then returns
/// it to the system. It is not repeated until someone has used the portal again, so an idle portal pays for it once.
/// </summary>
public sealed class IdleTrimSchedule
{
    private readonly Lock _gate = new();
    private int _open;
    private DateTimeOffset? _lastClosed;
    private bool _trimmed;

    public IdleTrimSchedule(TimeSpan quiet)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quiet, TimeSpan.Zero);
        Quiet = quiet;
    }

    /// <summary>How long after the last session ended the memory is given back.</summary>
    public TimeSpan Quiet { get; }

    /// <summary>Sessions open now.</summary>
    public int Open
    {
        get
        {
            lock (_gate)
            {
                return _open;
            }
        }
    }

    public void Opened()
    {
        lock (_gate)
        {
            _open++;
            _lastClosed = null;
            _trimmed = false;
        }
    }

    public void Closed(DateTimeOffset at)
    {
        lock (_gate)
        {
            _open = Math.Max(0, _open - 1);
            if (_open == 0)
            {
                _lastClosed = at;
            }
        }
    }

    /// <summary>True once per quiet spell: no session open and <see cref="Quiet"/> passed since the last one ended.</summary>
    public bool TakeDue(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_open > 0 || _lastClosed is not { } closed || now - closed < Quiet)
            {
                return false;
            }

            _lastClosed = null;
            _trimmed = true;
            return true;
        }
    }

    /// <summary>
    /// True from the trim until someone opens the portal again: the quiet time in which the background work's
    /// short-lived objects are better collected as they come than left to fill the young generation's budget.
    /// </summary>
    public bool IdleSinceTrim
    {
        get
        {
            lock (_gate)
            {
                return _trimmed && _open == 0;
            }
        }
    }
}
