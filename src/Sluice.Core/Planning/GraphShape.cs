using Sluice.Definitions;

namespace Sluice.Planning;

/// <summary>The edges of a list of steps as positions, and a topological order when there is no cycle: computed once when a pipeline is built, shared by its graph.</summary>
internal sealed class GraphShape
{
    private GraphShape(Dictionary<string, int> index, int[][] dependencies, int[][] dependents, StepDefinition[]? order)
    {
        Index = index;
        Dependencies = dependencies;
        Dependents = dependents;
        Order = order;
    }

    /// <summary>Gets each step's position by name (the first, where a name is declared twice).</summary>
    public Dictionary<string, int> Index { get; }

    /// <summary>Gets, by position, the positions each step waits for.</summary>
    public int[][] Dependencies { get; }

    /// <summary>Gets, by position, the positions that wait for each step.</summary>
    public int[][] Dependents { get; }

    /// <summary>Gets the steps in topological order, ties broken by position; null when the steps have a cycle.</summary>
    public StepDefinition[]? Order { get; }

    /// <summary>Computes the shape of <paramref name="steps"/>; unknown names and self-edges are left out (the builder reports them).</summary>
    public static GraphShape Of(IReadOnlyList<StepDefinition> steps)
    {
        int n = steps.Count;
        var index = new Dictionary<string, int>(n, StringComparer.Ordinal);
        for (int i = 0; i < n; i++)
        {
            index.TryAdd(steps[i].Name, i);
        }

        // Arrays, not a list per step: a 10,000-step pipeline is built on every command's start.
        var dependencies = new int[n][];
        var dependentCount = new int[n];
        for (int i = 0; i < n; i++)
        {
            string[] names = steps[i].DependencyNames; // an array, not IReadOnlyList: the foreach below then makes no enumerator
            if (names.Length == 0)
            {
                dependencies[i] = [];
                continue;
            }

            var positions = new int[names.Length];
            int found = 0;
            foreach (string name in names)
            {
                if (index.TryGetValue(name, out int d) && d != i)
                {
                    positions[found++] = d;
                    dependentCount[d]++;
                }
            }

            dependencies[i] = found == positions.Length ? positions : positions[..found];
        }

        var dependents = new int[n][];
        for (int i = 0; i < n; i++)
        {
            dependents[i] = dependentCount[i] == 0 ? [] : new int[dependentCount[i]];
            dependentCount[i] = 0;
        }

        for (int i = 0; i < n; i++)
        {
            foreach (int d in dependencies[i])
            {
                dependents[d][dependentCount[d]++] = i;
            }
        }

        return new GraphShape(index, dependencies, dependents, TopologicalOrder(steps, dependencies, dependents));
    }

    private static StepDefinition[]? TopologicalOrder(IReadOnlyList<StepDefinition> steps, int[][] dependencies, int[][] dependents)
    {
        int n = steps.Count;
        var waiting = new int[n];
        var ready = new PriorityQueue<int, int>();
        for (int i = 0; i < n; i++)
        {
            waiting[i] = dependencies[i].Length;
            if (waiting[i] == 0)
            {
                ready.Enqueue(i, i);
            }
        }

        var order = new StepDefinition[n];
        int count = 0;
        while (ready.TryDequeue(out int i, out _))
        {
            order[count++] = steps[i];
            foreach (int d in dependents[i])
            {
                if (--waiting[d] == 0)
                {
                    ready.Enqueue(d, d);
                }
            }
        }

        return count == n ? order : null;
    }
}
