using Portal.Tests.Aws.Loopback;

namespace Portal.Tests.Deployments;

/// <summary>Configuration of a whole portal pointed at a loopback AWS endpoint, the way an operator would write it.</summary>
public static class PortalAwsSettings
{
    public static Dictionary<string, string?> For(LoopbackAws aws, string dataDirectory, bool withCredentials)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:DataDirectory"] = dataDirectory,
            ["AWS:Region"] = "us-east-1",
            ["AWS:ServiceURL"] = aws.ServiceUrl.ToString(),
            ["Stacks:SharedRegion"] = EngineHarness.Settings.SharedRegion,
            ["Stacks:ContentBucketName"] = EngineHarness.Settings.ContentBucketName,
            ["Stacks:LogBucketName"] = EngineHarness.Settings.LogBucketName,
            ["Deployments:ActivePollMin"] = "00:00:00.100",
            ["Deployments:ActivePollMax"] = "00:00:00.300",
            ["Deployments:WorkerInterval"] = "00:00:00.100",
            ["Deployments:LeaseDuration"] = "00:00:05",
        };
        if (withCredentials)
        {
            // A shared credentials file of the test's own: the SDK's profile chain, with nothing taken from the machine.
            var file = Path.Combine(dataDirectory, "aws-credentials");
            File.WriteAllText(file, $"[loopback]\naws_access_key_id = {LoopbackAws.AccessKey}\naws_secret_access_key = {LoopbackAws.SecretKey}\n");
            settings["AWS:Profile"] = "loopback";
            settings["AWS:ProfilesLocation"] = file;
        }

        return settings;
    }
}
