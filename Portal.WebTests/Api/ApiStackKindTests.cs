using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Api;
using Portal.Core.Deployments;
using Portal.Core.Templates;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Api;

/// <summary>A stack operation's kind reads in the API as the stack kind's name, the same text the portal stores and tags stacks with.</summary>
public sealed class ApiStackKindTests
{
    [Fact]
    public async Task Each_kind_is_written_by_its_name()
    {
        await using var portal = new PortalFactory();
        var json = portal.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;

        foreach (var kind in TemplateLibrary.Kinds)
        {
            var operation = new ApiStackOperation("stack", "us-east-1", kind, StackStep.Pending, null, null, null, DateTimeOffset.UnixEpoch, null);
            using var written = JsonDocument.Parse(JsonSerializer.Serialize(operation, json));
            Assert.Equal(StackKindNames.Of(kind), written.RootElement.GetProperty("kind").GetString());
        }
    }
}
