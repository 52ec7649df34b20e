using Portal.Core.Templates;

namespace Portal.Tests.Templates;

/// <summary>One name per stack kind, the same in the stack's tag, the database and the API.</summary>
public sealed class StackKindNamesTests
{
    [Theory]
    [InlineData(StackKind.Shared, "shared")]
    [InlineData(StackKind.Site, "site")]
    [InlineData(StackKind.Redirect, "redirect")]
    [InlineData(StackKind.MtaSts, "mta-sts")]
    public void Each_kind_has_one_name_that_reads_back_as_the_kind(StackKind kind, string name)
    {
        Assert.Equal(name, StackKindNames.Of(kind));
        Assert.Equal(kind, StackKindNames.Parse(name));
    }

    [Fact]
    public void Every_kind_has_a_name()
    {
        Assert.Equal(Enum.GetValues<StackKind>(), TemplateLibrary.Kinds.Order());
        Assert.All(Enum.GetValues<StackKind>(), kind => Assert.Equal(kind, StackKindNames.Parse(StackKindNames.Of(kind))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Site")]
    [InlineData("MtaSts")]
    [InlineData("mail")]
    public void Any_other_name_is_refused(string name) => Assert.Throws<FormatException>(() => StackKindNames.Parse(name));
}
