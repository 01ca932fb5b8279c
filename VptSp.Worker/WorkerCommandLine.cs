using System.Globalization;

namespace VptSp.Worker;

/// <summary>
/// The worker's own options — <c>--gpu N</c>, <c>--cpu</c>, <c>--name NAME</c> — turned into configuration keys; every
/// other argument is configuration as for the dashboard (<c>--Storage:ConnectionString=…</c>, <c>--Workers:LeaseSeconds=20</c>).
/// </summary>
public sealed record WorkerCommandLine(IReadOnlyDictionary<string, string?> Settings, IReadOnlyList<string> Rest, bool Help)
{
    public const string Usage = """
        usage: VptSp.Worker [--gpu N | --cpu] [--name NAME] [--Section:Key=value ...]
          Claims queued runs from the shared PostgreSQL store and trains them, one at a time.
          --gpu N    train on CUDA device N (claims runs that ask for cuda, cpu or auto)
          --cpu      train on the CPU (default; claims runs that ask for cpu or auto)
          --name     the name shown on the dashboard (default host:pid)
          Needs Storage:Provider=postgres, Storage:ConnectionString and a Storage:DataDirectory every host mounts at the same path
          (environment: Storage__Provider, Storage__ConnectionString, Storage__DataDirectory or VPTSP_DATA_DIR).
        """;

    public static WorkerCommandLine Parse(IReadOnlyList<string> args)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var rest = new List<string>();
        var help = false;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            switch (a)
            {
                case "-h" or "--help":
                    help = true;
                    break;
                case "--cpu":
                    settings["Training:Device"] = "cpu";
                    break;
                case "--gpu":
                    var index = Value(args, ref i, a);
                    if (!int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                        throw new ArgumentException($"--gpu: '{index}' is not a GPU index (0, 1, …)");
                    settings["Training:Device"] = $"cuda:{n}";
                    break;
                case "--name":
                    settings["Workers:Name"] = Value(args, ref i, a);
                    break;
                default:
                    rest.Add(a);
                    break;
            }
        }
        return new WorkerCommandLine(settings, rest, help);
    }

    private static string Value(IReadOnlyList<string> args, ref int i, string option) =>
        ++i < args.Count && !args[i].StartsWith("--", StringComparison.Ordinal)
            ? args[i]
            : throw new ArgumentException($"{option} needs a value");
}
