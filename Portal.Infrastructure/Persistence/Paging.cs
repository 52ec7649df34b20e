namespace Portal.Infrastructure.Persistence;

public static class Paging
{
    /// <summary>
    /// Rows before the page. Computed wide so a page far beyond the data is empty instead of wrapping round to a
    /// negative count, which the database reads as 0, i.e. the first page.
    /// </summary>
    public static int Skip(int page, int pageSize) => (int)Math.Min((long)Math.Max(page, 0) * Math.Max(pageSize, 1), int.MaxValue);
}
