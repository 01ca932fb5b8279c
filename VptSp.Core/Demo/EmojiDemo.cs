using System.Diagnostics;
using System.Globalization;
using System.Text;
using VptSp.Core.Data;
using VptSp.Core.Data.Emoji;
using VptSp.Core.Evaluation;
using VptSp.Core.Inference;
using VptSp.Core.Training;
using VptSp.Core.Runtime;
using static TorchSharp.torch;

namespace VptSp.Core.Demo;

/// <summary>One row of the demo table.</summary>
public sealed record DemoRow(string Name, double RecallAt1, double RecallAt2, double MapAtR, long? Trainable, double? TrainablePercent, TimeSpan? WallTime);

/// <summary>What <see cref="EmojiDemo"/> needs: where the data and runs are, and how long to train.</summary>
/// <param name="Backbone">An already pre-trained backbone file: skips the pre-training step.</param>
public sealed record DemoOptions(string DataDirectory, string RunsDirectory, bool Quick, IReadOnlyList<string> Methods, string? Backbone = null)
{
    public static IReadOnlyList<string> AllMethods { get; } = ["linear", "vpt", "bitfit", "adapter", "full", "vptsp_g"];
}

/// <summary>
/// The emoji demo, headless: pre-train the small ViT on the <c>pretrain</c> split, then evaluate it zero-shot and train
/// every method on <c>train</c>, evaluated on <c>test</c>, beside chance and the raw-pixel k-NN baselines (DEMO-FINDINGS:
/// at CPU budgets downsampled pixels are the bar to beat, so they are always shown).
/// </summary>
public sealed class EmojiDemo(ConfigPresets presets, DemoOptions options, ITrainingObserver observer, TextWriter log)
{
    private static readonly IReadOnlyList<int> Ks = [1, 2];

    public IReadOnlyList<DemoRow> Run(CancellationToken ct)
    {
        var source = DataLayout.DemoRoot(options.DataDirectory);
        var data = DatasetCatalog.Default.Open(source, "emoji");
        var test = data.Split(SplitNames.Test);
        var rows = new List<DemoRow>();

        var chance = ChanceBaseline.Metrics(test.Labels(), Ks);
        rows.Add(new DemoRow("chance (random ranking)", chance["recall@1"], chance["recall@2"], chance["map@r"], null, null, null));
        foreach (var side in RawPixelBaseline.StandardSides)
        {
            using var pixels = RawPixelBaseline.EmbedTensor(test, side);
            rows.Add(FromMetrics($"raw pixels {side}×{side} k-NN", Score(pixels, test), null, null));
        }

        var pretrain = presets.Load(QuickDemo.PretrainPreset);
        if (options.Quick) pretrain = pretrain.WithOverrides(QuickDemo.PretrainOverrides);
        var backbone = ModelFactory.ResolveExport(pretrain, options.DataDirectory)!;

        rows.Add(Zero("untrained ViT (random init)", pretrain.PretrainedModel, null, test));
        if (options.Backbone is { } given)
        {
            backbone = Path.GetFullPath(given);
            if (!File.Exists(backbone)) throw new FileNotFoundException($"backbone not found: {backbone}", backbone);
            rows.Add(Zero("zero-shot with the given pre-trained backbone", pretrain.PretrainedModel, backbone, test));
        }
        else
        {
            var pre = Train("pretrain", pretrain, source, ct);
            if (pre is null) return rows;
            rows.Add(Zero($"zero-shot after pre-training ({pre.Value.Time.TotalMinutes:F1} min)", pretrain.PretrainedModel, backbone, test));
        }

        foreach (var method in options.Methods)
        {
            var preset = presets.Load("emoji_" + method);
            var config = (options.Quick ? preset.WithOverrides(QuickDemo.Epochs(QuickDemo.MethodEpochs)) : preset) with { BackboneCheckpoint = backbone };
            var result = Train(method, config, source, ct);
            if (result is null) break;
            rows.Add(FromMetrics(method, result.Value.Metrics, result.Value.Facts, result.Value.Time));
        }
        return rows;
    }

    public static string Markdown(IReadOnlyList<DemoRow> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| method | R@1 | R@2 | MAP@R | trainable params | trainable % | wall time |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Name} | {100 * r.RecallAt1:F1} | {100 * r.RecallAt2:F1} | {r.MapAtR:F3} | {(r.Trainable is { } t ? t.ToString("N0", CultureInfo.InvariantCulture) : "–")} | {(r.TrainablePercent is { } p ? p.ToString("F2", CultureInfo.InvariantCulture) : "–")} | {(r.WallTime is { } w ? $"{w.TotalSeconds:F0} s" : "–")} |"));
        return sb.ToString();
    }

    private (IReadOnlyDictionary<string, double> Metrics, RunFacts? Facts, TimeSpan Time)? Train(string name, TrainingConfig config, string source, CancellationToken ct)
    {
        var dir = Path.Combine(options.RunsDirectory, name);
        log.WriteLine($"## {name}: {config.Method.Name()}, {config.NEpochs} epochs → {dir}");
        var facts = new FactsObserver(observer);
        var clock = Stopwatch.StartNew();
        var outcome = new Trainer().Run(new TrainingRequest(config, dir, source, DataDirectory: options.DataDirectory), facts, ct);
        clock.Stop();
        if (outcome.State == RunState.Cancelled) return null;
        if (outcome.State != RunState.Completed)
            throw new Diagnostics.UserFacingException($"demo step '{name}' failed: {outcome.Error}");
        return (outcome.BestMetrics ?? new Dictionary<string, double>(), facts.Facts, clock.Elapsed);
    }

    private static DemoRow Zero(string name, string preset, string? checkpoint, DatasetSplit test)
    {
        using var embedder = new BackboneEmbedder(preset, checkpoint);
        using var e = EmbeddingExtractor.Embed(embedder, test, 128, Environment.ProcessorCount);
        return FromMetrics(name, Score(e, test), null, null);
    }

    private static IReadOnlyDictionary<string, double> Score(Tensor embeddings, DatasetSplit split) =>
        MetricSuite.Evaluate(embeddings, split.Labels(), new MetricSuiteOptions { RecallKs = Ks, Clustering = false });

    private static DemoRow FromMetrics(string name, IReadOnlyDictionary<string, double> m, RunFacts? facts, TimeSpan? time) =>
        new(name, m.GetValueOrDefault("recall@1"), m.GetValueOrDefault("recall@2"), m.GetValueOrDefault("map@r"),
            facts?.TrainableParameters, facts?.TrainablePercent, time);

    /// <summary>Passes everything on and keeps the run's facts.</summary>
    private sealed class FactsObserver(ITrainingObserver inner) : ITrainingObserver
    {
        public RunFacts? Facts { get; private set; }
        public void OnStarted(RunFacts facts) { Facts = facts; inner.OnStarted(facts); }
        public void OnStateChanged(RunState state, string? message) => inner.OnStateChanged(state, message);
        public void OnStep(StepProgress progress) => inner.OnStep(progress);
        public void OnEpoch(EpochReport report) => inner.OnEpoch(report);
        public void OnLog(string line) => inner.OnLog(line);
    }
}
