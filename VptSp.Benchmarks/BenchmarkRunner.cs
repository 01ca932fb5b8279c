using System.Diagnostics;

namespace VptSp.Benchmarks;

/// <summary>One benchmark: measures in a single run and prints its own ratios.</summary>
public interface IBenchmark
{
    string Name { get; }
    string Description { get; }
    void Run(TextWriter output);
}

public static class BenchmarkRunner
{
    private static readonly List<IBenchmark> All = new();

    public static void Register(IBenchmark benchmark) => All.Add(benchmark);

    public static int Run(string[] args)
    {
        foreach (var type in typeof(BenchmarkRunner).Assembly.GetTypes())
            if (typeof(IBenchmark).IsAssignableFrom(type) && type is { IsAbstract: false, IsInterface: false })
                All.Add((IBenchmark)Activator.CreateInstance(type)!);
        All.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        if (args.Length == 0 || args[0] is "-h" or "--help" or "list")
        {
            Console.WriteLine("usage: dotnet run -c Release --project VptSp.Benchmarks -- <name|all>");
            foreach (var b in All) Console.WriteLine($"  {b.Name,-24} {b.Description}");
            return args.Length == 0 ? 1 : 0;
        }
        var chosen = args[0] == "all" ? All : All.Where(b => args.Contains(b.Name)).ToList();
        if (chosen.Count == 0)
        {
            Console.Error.WriteLine($"benchmarks: no benchmark named '{string.Join(' ', args)}' (run with 'list')");
            return 2;
        }
        // the opt-in allocator setting (VPTSP_MALLOC_TUNING=1, NativeAllocator), applied before op-level benchmarks too
        Console.WriteLine($"native allocator: {(VptSp.Core.Runtime.NativeAllocator.EnsureConfigured() ? "freed tensor memory kept (mallopt)" : "glibc defaults (VPTSP_MALLOC_TUNING=1 keeps freed memory)")}");
        foreach (var b in chosen)
        {
            Console.WriteLine($"## {b.Name} — {b.Description}");
            var sw = Stopwatch.StartNew();
            b.Run(Console.Out);
            Console.WriteLine($"(took {sw.Elapsed.TotalSeconds:F1} s)\n");
        }
        return 0;
    }

    /// <summary>Median wall time of <paramref name="repeats"/> runs after <paramref name="warmup"/> warm-up runs.</summary>
    public static double MedianMs(Action action, int repeats = 5, int warmup = 1)
    {
        for (var i = 0; i < warmup; i++) action();
        var times = new double[repeats];
        for (var i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            times[i] = sw.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times[repeats / 2];
    }
}
