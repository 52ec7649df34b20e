namespace Portal.Identity.BuiltIn;

/// <summary>
/// One creator of the portal's roles at a time in this process (a singleton): the start-up tasks that need the roles
/// run side by side, and two inserts of the same role would leave one failing on the unique name.
/// </summary>
public sealed class RoleSeeding : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IAsyncDisposable> EnterAsync()
    {
        await _gate.WaitAsync();
        return new Release(_gate);
    }

    public void Dispose() => _gate.Dispose();

    private sealed class Release(SemaphoreSlim gate) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            gate.Release();
            return ValueTask.CompletedTask;
        }
    }
}
