using System.Reflection;
using System.Reflection.Emit;

namespace Portal.Tests.Architecture;

/// <summary>
/// Which namespace of an assembly uses which, read from the compiled code: signatures, attributes and every type,
/// method and field token in method bodies, so a use hidden in a lambda or an async method counts too.
/// </summary>
public sealed class NamespaceGraph
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => code.Value);

    private readonly Dictionary<string, HashSet<string>> _edges = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, HashSet<string>> Edges => _edges;

    public static NamespaceGraph Of(Assembly assembly, string prefix)
    {
        var graph = new NamespaceGraph();
        foreach (var type in assembly.GetTypes())
        {
            var from = NamespaceOf(type);
            if (from is null || !from.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            graph._edges.TryAdd(from, new HashSet<string>(StringComparer.Ordinal));
            foreach (var used in UsedTypes(type))
            {
                var to = NamespaceOf(used);
                if (to is not null && to != from && to.StartsWith(prefix, StringComparison.Ordinal))
                {
                    graph._edges[from].Add(to);
                }
            }
        }

        return graph;
    }

    /// <summary>Groups of namespaces that use one another in a circle (Tarjan's strongly connected components).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var cycles = new List<IReadOnlyList<string>>();
        var next = 0;

        void Visit(string node)
        {
            index[node] = low[node] = next++;
            stack.Push(node);
            onStack.Add(node);
            foreach (var target in _edges.GetValueOrDefault(node) ?? [])
            {
                if (!index.TryGetValue(target, out var targetIndex))
                {
                    Visit(target);
                    low[node] = Math.Min(low[node], low[target]);
                }
                else if (onStack.Contains(target))
                {
                    low[node] = Math.Min(low[node], targetIndex);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                if (component.Count > 1)
                {
                    component.Sort(StringComparer.Ordinal);
                    cycles.Add(component);
                }
            }
        }

        foreach (var node in _edges.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return cycles;
    }

    /// <summary>Each cycle of <paramref name="assembly"/> on one line, with the uses that close it; empty when there is none.</summary>
    public string DescribeCycles(Assembly assembly) =>
        string.Join("\n", Cycles().Select(cycle =>
            string.Join(" <-> ", cycle) + ": " + string.Join("; ", cycle.SelectMany(from =>
                cycle.Where(to => to != from && _edges[from].Contains(to)).SelectMany(to => Reasons(assembly, from, to))))));

    /// <summary>The types of <paramref name="type"/>'s members that live in <paramref name="target"/>, to say why an edge exists.</summary>
    private static IEnumerable<string> Reasons(Assembly assembly, string from, string target) =>
        assembly.GetTypes()
            .Where(type => NamespaceOf(type) == from)
            .SelectMany(type => UsedTypes(type).Where(used => NamespaceOf(used) == target).Select(used => $"{Outermost(type).Name} uses {used.Name}"))
            .Distinct()
            .Take(5);

    /// <summary>Every type the assembly's own code uses, with the outermost type of the user.</summary>
    public static IEnumerable<(Type User, Type Used)> Uses(Assembly assembly) =>
        assembly.GetTypes().SelectMany(type => UsedTypes(type).Select(used => (Outermost(type), used))).Distinct();

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type;
    }

    private static string? NamespaceOf(Type type)
    {
        if (type.IsGenericParameter)
        {
            return null;
        }

        return Outermost(type).Namespace;
    }

    private static List<Type> UsedTypes(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var found = new List<Type>();
        void Add(Type? t)
        {
            if (t is null)
            {
                return;
            }

            if (t.HasElementType)
            {
                Add(t.GetElementType());
                return;
            }

            found.Add(t);
            if (t.IsGenericType && !t.IsGenericTypeDefinition)
            {
                foreach (var argument in t.GetGenericArguments())
                {
                    Add(argument);
                }
            }
        }

        Add(type.BaseType);
        foreach (var i in type.GetInterfaces())
        {
            Add(i);
        }

        foreach (var attribute in type.GetCustomAttributesData())
        {
            Add(attribute.AttributeType);
        }

        foreach (var field in type.GetFields(all))
        {
            Add(field.FieldType);
        }

        foreach (var property in type.GetProperties(all))
        {
            Add(property.PropertyType);
        }

        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            if (method is MethodInfo info)
            {
                Add(info.ReturnType);
            }

            foreach (var parameter in method.GetParameters())
            {
                Add(parameter.ParameterType);
            }

            var body = method.GetMethodBody();
            if (body is null)
            {
                continue;
            }

            foreach (var local in body.LocalVariables)
            {
                Add(local.LocalType);
            }

            foreach (var member in BodyTokens(method, body.GetILAsByteArray() ?? []))
            {
                switch (member)
                {
                    case Type t:
                        Add(t);
                        break;
                    case MethodBase m:
                        Add(m.DeclaringType);
                        if (m is MethodInfo mi && mi.IsGenericMethod)
                        {
                            foreach (var argument in mi.GetGenericArguments())
                            {
                                Add(argument);
                            }
                        }

                        break;
                    case FieldInfo f:
                        Add(f.DeclaringType);
                        break;
                }
            }
        }

        return found;
    }

    /// <summary>The types, methods and fields a method's body names, decoded instruction by instruction.</summary>
    public static IEnumerable<MemberInfo> BodyMembers(MethodBase method) =>
        method.GetMethodBody() is { } body ? BodyTokens(method, body.GetILAsByteArray() ?? []) : [];

    private static IEnumerable<MemberInfo> BodyTokens(MethodBase method, byte[] il)
    {
        var module = method.Module;
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position++];
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[position++]);
            }

            var code = OpCodesByValue[value];
            switch (code.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    position += 1;
                    break;
                case OperandType.InlineVar:
                    position += 2;
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    position += 8;
                    break;
                case OperandType.InlineSwitch:
                    var count = BitConverter.ToInt32(il, position);
                    position += 4 + (4 * count);
                    break;
                case OperandType.InlineMethod:
                case OperandType.InlineField:
                case OperandType.InlineType:
                case OperandType.InlineTok:
                    var token = BitConverter.ToInt32(il, position);
                    position += 4;
                    MemberInfo? member = null;
                    try
                    {
                        member = module.ResolveMember(token, typeArguments, methodArguments);
                    }
                    catch (ArgumentException)
                    {
                        // A token into a generic context this scan cannot supply; its declaring type is seen elsewhere.
                    }

                    if (member is not null)
                    {
                        yield return member;
                    }

                    break;
                default:
                    position += 4;
                    break;
            }
        }
    }
}
