using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Templates;

namespace Portal.Tests.Templates;

/// <summary>The same request, environment and settings give the same bytes, whichever renderer instance renders them.</summary>
public sealed class RenderDeterminismTests
{
    [Theory]
    [MemberData(nameof(RenderMatrix.CaseNames), MemberType = typeof(RenderMatrix))]
    public void Rendering_twice_gives_identical_stacks(string spec, string environment, string settings)
    {
        var first = RenderMatrix.Render(spec, environment, settings);
        var again = RenderMatrix.Renderer(RenderMatrix.Settings(settings)).Render(
            new RenderRequest(RenderMatrix.RequestId, 3, "Alice Requester", RequestSpecJson.Parse(RequestSpecJson.Serialize(RenderMatrix.Specs[spec])).Spec!),
            RenderMatrix.Environment(environment));

        Assert.Equal(first.Stacks.Count, again.Stacks.Count);
        for (var i = 0; i < first.Stacks.Count; i++)
        {
            Assert.Equal(first.Stacks[i].StackName, again.Stacks[i].StackName);
            Assert.Equal(first.Stacks[i].Region, again.Stacks[i].Region);
            Assert.Equal(first.Stacks[i].TemplateBody, again.Stacks[i].TemplateBody);
            Assert.Equal(first.Stacks[i].ParametersJson(), again.Stacks[i].ParametersJson());
            Assert.Equal(first.Stacks[i].Tags, again.Stacks[i].Tags);
        }
    }

    [Fact]
    public void Stacks_carry_request_revision_environment_and_requester_tags()
    {
        var result = RenderMatrix.Render("site-example", "production", "other");

        Assert.All(result.Stacks, stack =>
        {
            var tags = stack.Tags.ToDictionary(t => t.Key, t => t.Value);
            Assert.Equal(RenderMatrix.RequestId.ToString(), tags[StackTags.RequestId]);
            Assert.Equal("3", tags[StackTags.Revision]);
            Assert.Equal("production", tags[StackTags.Environment]);
            Assert.Equal("Alice Requester", tags[StackTags.Requester]);
            Assert.Equal("1234", tags["cost-centre"]);
            Assert.Equal("web platform", tags["team"]);
        });
    }

    [Fact]
    public void A_changed_request_changes_the_rendered_stack()
    {
        var before = RenderMatrix.Render("site-example", "testing", "default").Stacks[0];
        var changed = RenderMatrix.Renderer(RenderMatrix.DefaultSettings).Render(
            new RenderRequest(RenderMatrix.RequestId, 4, "Alice Requester", RenderMatrix.ExampleSite with { ReferrerPolicy = "no-referrer" }),
            DeploymentEnvironment.Testing).Stacks[0];

        Assert.NotEqual(before.TemplateBody + before.ParametersJson(), changed.TemplateBody + changed.ParametersJson());
    }
}
