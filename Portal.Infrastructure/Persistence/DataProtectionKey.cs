namespace Portal.Infrastructure.Persistence;

/// <summary>
/// One element of the ASP.NET Core Data Protection key ring (a key or a revocation), as XML. Kept in the portal's
/// database so every replica protects and unprotects cookies, antiforgery tokens and stored secrets with the same keys.
/// </summary>
public sealed class DataProtectionKey
{
    public int Id { get; set; }

    /// <summary>The name Data Protection gives the element, e.g. <c>key-6b0e...</c>; unique, so an import runs once.</summary>
    public string FriendlyName { get; set; } = "";

    public string Xml { get; set; } = "";
}
