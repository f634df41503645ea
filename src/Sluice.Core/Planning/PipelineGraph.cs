using Sluice.Definitions;

namespace Sluice.Planning;

/// <summary>The dependency structure of a pipeline: topological order, upstream and downstream closures.</summary>
/// <remarks>Arrows point from a step to the steps that wait for it.</remarks>
public sealed class PipelineGraph
{
    private readonly Dictionary<string, int> _index;
    private readonly int[][] _dependencies;
    private readonly int[][] _dependents;

    /// <summary>Builds the graph of a validated (and so acyclic) pipeline.</summary>
    public PipelineGraph(Pipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        Pipeline = pipeline;
        Steps = pipeline.Steps;

        // Build() computed the shape while looking for cycles; a pipeline made another way gets its own.
        GraphShape shape = pipeline.Shape ?? GraphShape.Of(Steps);
        (_index, _dependencies, _dependents) = (shape.Index, shape.Dependencies, shape.Dependents);
        Order = shape.Order ?? throw new InvalidOperationException("The pipeline has a cycle; Pipeline.Build should have rejected it.");
    }

    /// <summary>Gets the pipeline.</summary>
    public Pipeline Pipeline { get; }

    /// <summary>Gets the steps in declaration order; graph positions index into it.</summary>
    public IReadOnlyList<StepDefinition> Steps { get; }

    /// <summary>Gets the steps in a topological order, ties broken by declaration order, so it is the same on every run.</summary>
    public IReadOnlyList<StepDefinition> Order { get; }

    /// <summary>Gets the position of a step.</summary>
    public int IndexOf(string step) => _index[step];

    /// <summary>Gets the positions of the steps that <paramref name="step"/> waits for.</summary>
    public IReadOnlyList<int> DependenciesOf(int step) => _dependencies[step];

    /// <summary>Gets the positions of the steps that wait for <paramref name="step"/>.</summary>
    public IReadOnlyList<int> DependentsOf(int step) => _dependents[step];

    /// <summary>Returns the given steps and every step downstream of them.</summary>
    public HashSet<int> Downstream(IEnumerable<int> roots) => Closure(roots, _dependents);

    /// <summary>Returns the given steps and every step upstream of them.</summary>
    public HashSet<int> Upstream(IEnumerable<int> roots) => Closure(roots, _dependencies);

    /// <summary>Returns one cycle path (first step repeated at the end) per strongly connected component that has one.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> FindCycles(IReadOnlyList<StepDefinition> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        return FindCycles(steps, GraphShape.Of(steps));
    }

    /// <summary>Returns the cycle paths of steps whose shape is already computed; none without looking when it has a topological order.</summary>
    internal static IReadOnlyList<IReadOnlyList<string>> FindCycles(IReadOnlyList<StepDefinition> steps, GraphShape shape)
    {
        var cycles = new List<IReadOnlyList<string>>();
        if (shape.Order is not null)
        {
            return cycles;
        }

        int[][] dependents = shape.Dependents;
        foreach (List<int> component in StronglyConnected(dependents))
        {
            if (component.Count < 2)
            {
                continue;
            }

            var members = component.ToHashSet();
            int start = component.Min();
            List<int> path = PathWithin(start, start, members, dependents);
            cycles.Add([.. path.Select(i => steps[i].Name)]);
        }

        cycles.Sort((a, b) => string.CompareOrdinal(a[0], b[0]));
        return cycles;
    }

    private static HashSet<int> Closure(IEnumerable<int> roots, int[][] edges)
    {
        var seen = new HashSet<int>();
        var stack = new Stack<int>(roots);
        while (stack.TryPop(out int i))
        {
            if (seen.Add(i))
            {
                foreach (int next in edges[i])
                {
                    stack.Push(next);
                }
            }
        }

        return seen;
    }

    // Tarjan's algorithm, iterative so that a 100,000-step chain does not overflow the stack.
    private static List<List<int>> StronglyConnected(int[][] edges)
    {
        int n = edges.Length;
        var index = new int[n];
        var low = new int[n];
        var onStack = new bool[n];
        Array.Fill(index, -1);
        var stack = new Stack<int>();
        var components = new List<List<int>>();
        int counter = 0;
        var work = new Stack<(int Node, int Edge)>();
        for (int root = 0; root < n; root++)
        {
            if (index[root] != -1)
            {
                continue;
            }

            work.Push((root, 0));
            while (work.Count > 0)
            {
                (int v, int e) = work.Pop();
                if (e == 0)
                {
                    index[v] = low[v] = counter++;
                    stack.Push(v);
                    onStack[v] = true;
                }

                if (e < edges[v].Length)
                {
                    work.Push((v, e + 1));
                    int w = edges[v][e];
                    if (index[w] == -1)
                    {
                        work.Push((w, 0));
                    }
                    else if (onStack[w])
                    {
                        low[v] = Math.Min(low[v], index[w]);
                    }

                    continue;
                }

                if (low[v] == index[v])
                {
                    var component = new List<int>();
                    int w;
                    do
                    {
                        w = stack.Pop();
                        onStack[w] = false;
                        component.Add(w);
                    }
                    while (w != v);
                    components.Add(component);
                }

                if (work.Count > 0)
                {
                    int parent = work.Peek().Node;
                    low[parent] = Math.Min(low[parent], low[v]);
                }
            }
        }

        return components;
    }

    // Breadth-first search gives the shortest cycle through 'from', which is the easiest to read.
    private static List<int> PathWithin(int from, int to, HashSet<int> members, int[][] edges)
    {
        var previous = new Dictionary<int, int>();
        var queue = new Queue<int>();
        queue.Enqueue(from);
        while (queue.TryDequeue(out int v))
        {
            foreach (int w in edges[v])
            {
                if (!members.Contains(w))
                {
                    continue;
                }

                if (w == to)
                {
                    var path = new List<int> { to };
                    for (int at = v; at != from; at = previous[at])
                    {
                        path.Add(at);
                    }

                    path.Add(from);
                    path.Reverse();
                    return path;
                }

                if (previous.TryAdd(w, v))
                {
                    queue.Enqueue(w);
                }
            }
        }

        throw new InvalidOperationException("A strongly connected component always has a cycle.");
    }
}
