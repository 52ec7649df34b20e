using Portal.Core.Adoption;
using Portal.Core.Requests;

namespace Portal.Tests.Adoption;

/// <summary>The owner an admin names when adopting: trimmed, the name defaulting to the id, refused when missing or not plain text.</summary>
public sealed class AdoptedOwnerTests
{
    [Fact]
    public void The_name_defaults_to_the_id_and_both_are_trimmed()
    {
        var errors = new List<FieldError>();

        var owner = AdoptedOwner.Read("  user-1 ", "  ", errors);

        Assert.Empty(errors);
        Assert.Equal(new AdoptedOwner("user-1", "user-1"), owner);
    }

    [Fact]
    public void A_missing_id_is_refused_on_its_field()
    {
        var errors = new List<FieldError>();

        AdoptedOwner.Read(" ", "Rita", errors);

        var error = Assert.Single(errors);
        Assert.Equal("ownerId", error.Field);
    }

    [Fact]
    public void A_name_with_control_characters_is_refused_on_its_field()
    {
        var errors = new List<FieldError>();

        AdoptedOwner.Read("user-1", "Rita\u0007", errors);

        var error = Assert.Single(errors);
        Assert.Equal("ownerName", error.Field);
    }
}
