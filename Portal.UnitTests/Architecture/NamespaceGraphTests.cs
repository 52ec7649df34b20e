using System.Reflection;
using Portal.Tests.Architecture.Samples.Callee;
using Portal.Tests.Architecture.Samples.Circle;

namespace Portal.Tests.Architecture
{
    /// <summary>The namespace graph finds uses the compiler hides (lambdas, async methods) and reports circles.</summary>
    public sealed class NamespaceGraphTests
    {
        private static readonly NamespaceGraph Samples = NamespaceGraph.Of(Assembly.GetExecutingAssembly(), "Portal.Tests.Architecture.Samples");

        [Fact]
        public void A_use_inside_a_lambda_is_an_edge()
        {
            Assert.Contains("Portal.Tests.Architecture.Samples.Callee", Samples.Edges["Portal.Tests.Architecture.Samples.Lambda"]);
        }

        [Fact]
        public void A_use_inside_an_async_method_is_an_edge()
        {
            Assert.Contains("Portal.Tests.Architecture.Samples.Callee", Samples.Edges["Portal.Tests.Architecture.Samples.Async"]);
        }

        [Fact]
        public void Two_namespaces_that_use_each_other_are_a_cycle_and_one_way_uses_are_not()
        {
            var cycle = Assert.Single(Samples.Cycles());

            Assert.Equal(["Portal.Tests.Architecture.Samples.Callee", "Portal.Tests.Architecture.Samples.Circle"], cycle);
        }
    }
}

namespace Portal.Tests.Architecture.Samples.Callee
{
    internal static class Target
    {
        public static int Value() => 1;

        public static int Back() => Returner.Value();
    }
}

namespace Portal.Tests.Architecture.Samples.Circle
{
    internal static class Returner
    {
        public static int Value() => Target.Value() + 1;
    }
}

namespace Portal.Tests.Architecture.Samples.Lambda
{
    internal static class UsesInLambda
    {
        public static Func<int> Make() => () => Portal.Tests.Architecture.Samples.Callee.Target.Value();
    }
}

namespace Portal.Tests.Architecture.Samples.Async
{
    internal static class UsesInAsync
    {
        public static async Task<int> RunAsync()
        {
            await Task.Yield();
            return Portal.Tests.Architecture.Samples.Callee.Target.Value();
        }
    }
}
