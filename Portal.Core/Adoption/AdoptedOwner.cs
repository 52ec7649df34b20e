using Portal.Core.Requests;
using Portal.Core.Text;

namespace Portal.Core.Adoption;

/// <summary>The person an admin names as the owner of what is adopted: a subject id, and a display name that defaults to it.</summary>
public sealed record AdoptedOwner(string Id, string Name)
{
    /// <summary>Trims the id and name and adds a field error for each that is missing or not plain text.</summary>
    public static AdoptedOwner Read(string? ownerId, string? ownerName, ICollection<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var id = ownerId?.Trim() ?? "";
        var name = string.IsNullOrWhiteSpace(ownerName) ? id : ownerName.Trim();
        if (id.Length == 0)
        {
            errors.Add(new("ownerId", "Name the owner by their subject id (as the Users page shows it)."));
        }
        else if (FreeText.Problem(id, "The owner's id", 200) is { } badId)
        {
            errors.Add(new("ownerId", badId));
        }

        if (id.Length > 0 && FreeText.Problem(name, "The owner's name", 200) is { } badName)
        {
            errors.Add(new("ownerName", badName));
        }

        return new(id, name);
    }
}
