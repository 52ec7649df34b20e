using Portal.Core.Text;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Workflow;

/// <summary>
/// A reason is stored in the audit trail and shown to others, so every reason, needed or not, keeps to the free-text
/// rule: at most <see cref="FreeText.MaxReasonLength"/> characters, lines allowed, nothing that is not text.
/// </summary>
public sealed class ActionReasonRuleTests
{
    private static readonly TimeSpan MaxAuthAge = TimeSpan.FromMinutes(15);
    private static readonly DateTimeOffset Now = TestActors.SignedInAt.AddMinutes(5);
    private static readonly RequestFacts AwaitingApproval = new(RequestState.AwaitingApproval, "alice", "alice", HasLiveRevision: false, DecommissionRequestedBy: null);
    private static readonly RequestFacts Submitted = new(RequestState.Submitted, "alice", "alice", HasLiveRevision: false, DecommissionRequestedBy: null);

    // Looked up by name: xUnit's test-case serialization would replace a lone surrogate with U+FFFD.
    private static readonly Dictionary<string, string> Reasons = new()
    {
        ["250 KB"] = new string('x', 250_000),
        ["one over the limit"] = new string('x', FreeText.MaxReasonLength + 1),
        ["lone high surrogate"] = "looks wrong \ud800",
        ["lone low surrogate"] = "\udc00 looks wrong",
        ["NUL"] = "bad\0reason",
        ["escape sequence"] = "bad \u001b[31m reason",
        ["line separator"] = "bad\u2028reason",
        ["right-to-left override"] = "bad \u202e nosaer",
    };

    public static TheoryData<string> BadReasons => [.. Reasons.Keys];

    [Theory]
    [MemberData(nameof(BadReasons))]
    public void A_bad_reason_is_refused_naming_the_reason(string name)
    {
        var reason = Reasons[name];
        var reject = WorkflowRules.Decide(AwaitingApproval, WorkflowAction.Reject, TestActors.Bob, reason, Now, MaxAuthAge);
        var withdraw = WorkflowRules.Decide(Submitted, WorkflowAction.Withdraw, TestActors.Alice, reason, Now, MaxAuthAge);

        Assert.All(new[] { reject, withdraw }, decision =>
        {
            Assert.False(decision.Allowed, name);
            Assert.Equal(RefusalCode.ReasonInvalid, decision.Code);
            Assert.StartsWith("The reason ", decision.Reason, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void A_reason_at_the_limit_with_lines_and_emoji_is_accepted()
    {
        var reason = "Line one\r\n\tline two \ud83d\ude00 ";
        reason += new string('x', FreeText.MaxReasonLength - reason.Length);

        var decision = WorkflowRules.Decide(AwaitingApproval, WorkflowAction.Reject, TestActors.Bob, reason, Now, MaxAuthAge);

        Assert.True(decision.Allowed, decision.Reason);
    }
}
