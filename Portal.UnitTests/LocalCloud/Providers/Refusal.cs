namespace Portal.Tests.LocalCloud.Providers;

internal static class Refusal
{
    /// <summary>The provider refused with this service error code, in the SDK's "(Service: ...; Error Code: X; ...)" text.</summary>
    public static string AssertRefused(this ProvisionResult result, string errorCode)
    {
        Assert.False(result.Succeeded, "expected a refusal with " + errorCode);
        Assert.Contains($"; Error Code: {errorCode}; Request ID: ", result.Failure!, StringComparison.Ordinal);
        return result.Failure!;
    }

    public static void AssertCreated(this ProvisionResult result) => Assert.True(result.Succeeded, result.Failure);
}
