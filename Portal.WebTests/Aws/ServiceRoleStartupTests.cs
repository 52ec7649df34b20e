using Portal.Tests.Infrastructure;

namespace Portal.Tests.Aws;

/// <summary>A CloudFormation service role setting that is not a role ARN stops the start, naming the key.</summary>
public sealed class ServiceRoleStartupTests
{
    [Theory]
    [InlineData("portal-cloudformation")]
    [InlineData("arn:aws:iam::123456789012:user/portal")]
    public async Task A_value_that_is_not_a_role_arn_stops_the_start(string value)
    {
        await using var portal = new PortalFactory(new Dictionary<string, string?>
        {
            ["AWS:Mode"] = "PlanOnly",
            ["AWS:CloudFormationRoleArn"] = value,
        });

        var error = Record.Exception(() => portal.CreateClient());

        Assert.NotNull(error);
        Assert.Contains($"AWS:CloudFormationRoleArn must be an IAM role ARN such as arn:aws:iam::123456789012:role/portal-cloudformation (the bootstrap stack's outputs), not '{value}'.",
            Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_arn_starts()
    {
        await using var portal = new PortalFactory(new Dictionary<string, string?>
        {
            ["AWS:Mode"] = "PlanOnly",
            ["AWS:CloudFormationRoleArn"] = "arn:aws:iam::123456789012:role/portal-cloudformation",
        });

        using var client = portal.CreateClient();
        Assert.NotNull(client);
    }

    private static string Flatten(Exception error)
    {
        var text = new System.Text.StringBuilder();
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            text.Append(e.Message).Append('\n');
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    text.Append(Flatten(inner));
                }
            }
        }

        return text.ToString();
    }
}
