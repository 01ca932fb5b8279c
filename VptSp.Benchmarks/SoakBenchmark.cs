using System.Diagnostics;
using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using VptSp.Core.Inference.Retrieval;
using VptSp.Core.Training;

using VptSp.Tests.Support;

namespace VptSp.Benchmarks;

/// <summary>
/// Native-lifetime soak (docs/native-lifetimes.md): a tiny VPTSP-G run (AdamW, class-prompt memory bank, proxy net,
/// BitFit, GRU mixing) for thousands of steps while a second thread calls GC.Collect + WaitForPendingFinalizers in a
/// loop, evaluating every epoch, then a search against the finished run. Meant to run under
/// DOTNET_GCgen0size=0x10000 (scripts/soak.sh). Prints steps done, native errors (must be 0), the place of the first
/// native error, and resident memory (RSS) at the end of epoch 10 and at the end (must stay flat).
/// Settings: VPTSP_SOAK_EPOCHS (default 3000), VPTSP_SOAK_MINUTES (wall-clock cap, default 60; the run is
/// cancelled and reported as such when it is reached).
/// </summary>
public sealed class SoakBenchmark : IBenchmark
{
    /// <summary>RSS may grow this much between epoch 10 and the end before the soak calls it a leak.</summary>
    private const double AllowedGrowthMb = 64;

    public string Name => "soak";
    public string Description => "native-lifetime soak: tiny VPTSP-G training under a GC-hammer thread; 0 native errors, flat RSS";

    public void Run(TextWriter output)
    {
        var epochs = EnvInt("VPTSP_SOAK_EPOCHS", 3000);
        var minutes = EnvInt("VPTSP_SOAK_MINUTES", 60);
        var root = Directory.CreateTempSubdirectory("vptsp-soak-").FullName;
        var nativeErrors = 0;
        string? firstNative = null;
        void OnFirstChance(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
            if (e.Exception is not ExternalException) return;
            if (Interlocked.Increment(ref nativeErrors) == 1)
                firstNative = e.Exception.Message.Split('\n')[0] + "\n" + Environment.StackTrace;
        }
        AppDomain.CurrentDomain.FirstChanceException += OnFirstChance;
        var stop = 0;
        long collections = 0;
        var hammer = new Thread(() =>
        {
            while (Volatile.Read(ref stop) == 0)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Interlocked.Increment(ref collections);
            }
        }) { IsBackground = true, Name = "gc-hammer" };
        try
        {
            var data = Path.Combine(root, "data");
            SyntheticDataset.Write(data, classes: 10, imagesPerClass: 8, size: 32);
            var config = SoakConfig(epochs);
            var runDir = Path.Combine(root, "run");
            var observer = new SoakObserver(epochs);
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(minutes));
            output.WriteLine($"GC settings: gen0size={Environment.GetEnvironmentVariable("DOTNET_GCgen0size") ?? "(default)"}, " +
                             $"server={System.Runtime.GCSettings.IsServerGC}; {epochs} epochs × 5 steps, evaluated every epoch; cap {minutes} min");
            var sw = Stopwatch.StartNew();
            hammer.Start();
            var outcome = TrainingThread.Run(() =>
                new Trainer().Run(new TrainingRequest(config, runDir, data), observer, cts.Token));
            var trainTime = sw.Elapsed;

            string search;
            try
            {
                using var engine = new RetrievalEngine();
                var query = File.ReadAllBytes(Directory.EnumerateFiles(Path.Combine(data, "class_07")).First());
                var result = engine.Search(runDir, query, k: 5);
                search = $"{result.Results.Count} hits, top class {(result.Results.Count > 0 ? result.Results[0].ClassName : null) ?? "-"}";
            }
            catch (Exception ex) when (outcome.State != RunState.Completed || ex is ExternalException)
            {
                search = $"failed: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}";
            }
            Volatile.Write(ref stop, 1);
            hammer.Join();
            var rssEnd = Rss();

            output.WriteLine($"state {outcome.State}{(outcome.Error is null ? "" : ": " + outcome.Error.Split('\n')[0])}");
            output.WriteLine($"steps {observer.Steps:N0} of {epochs * 5:N0}, epochs {observer.Epochs:N0} (evaluated {observer.Evaluated:N0}) in {trainTime.TotalSeconds:F0} s; " +
                             $"forced collections {Interlocked.Read(ref collections):N0}; gen0 {GC.CollectionCount(0):N0}");
            output.WriteLine($"search against the run: {search}");
            output.WriteLine($"native errors {nativeErrors}");
            if (firstNative is not null) output.WriteLine("first native error:\n" + firstNative);
            var growth = (rssEnd - observer.RssAtEpoch10) / 1048576.0;
            output.WriteLine($"RSS at epoch 10 {observer.RssAtEpoch10 / 1048576.0:F0} MB, at the end {rssEnd / 1048576.0:F0} MB " +
                             $"(growth {growth:F0} MB, allowed {AllowedGrowthMb} MB); live tensors at epoch 10 {observer.LiveAtEpoch10}, at the end {observer.LiveAtEnd}");
            var passed = nativeErrors == 0 && outcome.State == RunState.Completed && observer.Steps == epochs * 5
                         && !search.StartsWith("failed", StringComparison.Ordinal) && (observer.Epochs < 10 || growth < AllowedGrowthMb);
            output.WriteLine(passed ? "SOAK PASSED" : "SOAK FAILED"); // scripts/soak.sh looks for this line
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            AppDomain.CurrentDomain.FirstChanceException -= OnFirstChance;
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    internal static TrainingConfig SoakConfig(int epochs) =>
        TrainingConfigYaml.Parse($"""
            dataset: folder
            pretrained_model: vit_test_patch8_32
            embed_dim: 16
            batch_size: 8
            samples_per_class: 2
            n_epochs: {epochs}
            eval_start: 0
            optim: adamw
            lr: 0.003
            lr_proxy: 0.05
            decay: 0.0001
            scheduler: cosine
            lr_cosine_length: {epochs}
            kernels: 1
            image_cache_mb: 16
            proxy_data_range: both_all
            vit_head: true
            vit_prompt: true
            vit_bitfit: true
            vit_proxy_net: true
            proxy_mix_bias: true
            semantic_mix_type: gru_relu
            num_prompt: 2
            prompt_depth: 2
            num_p_prompt: 2
            p_prompt_depth: 2
            evaluation_metrics: [e_recall@1, e_recall@2, mAP_R]
            seed: 3
            """);

    private static long Rss()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }

    private static int EnvInt(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var v) && v > 0 ? v : fallback;

    private sealed class SoakObserver(int epochs) : ITrainingObserver
    {
        public int Steps;
        public int Epochs;
        public int Evaluated;
        public long RssAtEpoch10;
        public long LiveAtEpoch10;
        public long LiveAtEnd;

        public void OnStarted(RunFacts facts) { }
        public void OnStateChanged(RunState state, string? message) { }
        public void OnStep(StepProgress progress) => Steps++;
        public void OnLog(string line) { }

        public void OnEpoch(EpochReport report)
        {
            Epochs++;
            if (report.Metrics.Count > 0) Evaluated++;
            if (report.Epoch == 10)
            {
                RssAtEpoch10 = Rss();
                LiveAtEpoch10 = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            }
            if (report.Epoch == epochs) LiveAtEnd = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        }
    }
}
