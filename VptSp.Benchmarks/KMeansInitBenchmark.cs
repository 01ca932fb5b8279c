using VptSp.Core.Runtime;
using System.Diagnostics;
using VptSp.Core.Evaluation;
using static TorchSharp.torch;

namespace VptSp.Benchmarks;

/// <summary>
/// How far the reference's k-means (faiss: random data points as initial centres, seed 1234) moves NMI and F1
/// compared with k-means++, on CUB-test-like embeddings: 100 classes × 59 samples, 384-D, L2-normalised, class
/// centres random on the sphere plus Gaussian noise of norm ≈ 2.5, 3.5, 4.5 (easy to hard). k-means++ runs with five seeds.
/// </summary>
public sealed class KMeansInitBenchmark : IBenchmark
{
    public string Name => "kmeans-init";
    public string Description => "NMI/F1 of faiss-style k-means (the reference's) vs k-means++ on CUB-test-like embeddings";

    public void Run(TextWriter output)
    {
        const int classes = 100, perClass = 59, dim = 384;
        output.WriteLine($"{classes} classes × {perClass} samples, {dim}-D, unit-norm rows; noise σ per coordinate relative to 1/√d");
        output.WriteLine($"{"noise",6} {"faiss NMI",10} {"faiss F1",9} {"k-means++ NMI (5 seeds)",24} {"k-means++ F1 (5 seeds)",24} {"ms faiss",9} {"ms ++",7}");
        foreach (var noise in new[] { 2.5, 3.5, 4.5 })
        {
            using var scope = NewDisposeScope();
            var gen = new Generator(42);
            var centres = nn.functional.normalize(randn(new long[] { classes, dim }, generator: gen), dim: 1);
            var labels = Enumerable.Range(0, classes * perClass).Select(i => i / perClass).ToArray();
            var which = tensor(labels.Select(l => (long)l).ToArray());
            using var sigma = tensor(noise / Math.Sqrt(dim));
            var x = nn.functional.normalize(centres.index_select(0, which).Plus(randn(new long[] { classes * perClass, dim }, generator: gen).mul(sigma)), dim: 1);

            var sw = Stopwatch.StartNew();
            var faiss = Clustering.KMeans(x, classes);
            var faissMs = sw.Elapsed.TotalMilliseconds;
            var nmiPlus = new List<double>();
            var f1Plus = new List<double>();
            sw.Restart();
            for (var seed = 0; seed < 5; seed++)
            {
                var pp = Clustering.KMeans(x, classes, seed: seed, init: KMeansInit.PlusPlus);
                nmiPlus.Add(ClusterMetrics.Nmi(labels, pp));
                f1Plus.Add(ClusterMetrics.PairF1(labels, pp));
            }
            var plusMs = sw.Elapsed.TotalMilliseconds / 5;
            static string Range(List<double> v) => $"{v.Average():F4} [{v.Min():F4}, {v.Max():F4}]";
            output.WriteLine($"{noise,6:F1} {ClusterMetrics.Nmi(labels, faiss),10:F4} {ClusterMetrics.PairF1(labels, faiss),9:F4} {Range(nmiPlus),24} {Range(f1Plus),24} {faissMs,9:F0} {plusMs,7:F0}");
        }
    }
}
