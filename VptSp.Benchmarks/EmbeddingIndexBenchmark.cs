using System.Diagnostics;
using VptSp.Core.Inference;

namespace VptSp.Benchmarks;

/// <summary>
/// Query latency and recall@10 of the USearch HNSW index (f16, cosine) against exact search on a
/// 60,000 × 384 gallery of clustered Gaussian points (600 centres, L2-normalised).
/// </summary>
public sealed class EmbeddingIndexBenchmark : IBenchmark
{
    private const int GallerySize = 60_000;
    private const int Dim = 384;
    private const int Centres = 600;
    private const int Queries = 300;
    private const int K = 10;

    public string Name => "embedding-index";
    public string Description => "HNSW (USearch, f16) vs exact search: latency and recall@10 on 60,000 × 384";

    public void Run(TextWriter output)
    {
        var rng = new Random(42);
        var centres = Enumerable.Range(0, Centres).Select(_ => Gaussian(rng, 1.0)).ToArray();
        float[] Sample() => Normalise(centres[rng.Next(Centres)].Zip(Gaussian(rng, 0.6), (c, n) => c + n).ToArray());
        var gallery = Enumerable.Range(0, GallerySize).Select(_ => Sample()).ToArray();
        var queries = Enumerable.Range(0, Queries).Select(_ => Sample()).ToArray();

        var sw = Stopwatch.StartNew();
        using var exact = new ExactEmbeddingIndex(gallery);
        var exactBuild = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var options = new EmbeddingIndexOptions();
        using var hnsw = new HnswEmbeddingIndex(gallery, options);
        var hnswBuild = sw.Elapsed.TotalSeconds;

        var exactTop = new int[Queries][];
        var exactMs = Time(queries, q => exact.Search(q, K), exactTop);
        var hnswTop = new int[Queries][];
        var hnswMs = Time(queries, q => hnsw.Search(q, K), hnswTop);
        var recall = Enumerable.Range(0, Queries).Average(i => hnswTop[i].Intersect(exactTop[i]).Count() / (double)K);
        var top1 = Enumerable.Range(0, Queries).Average(i => hnswTop[i][0] == exactTop[i][0] ? 1.0 : 0.0);

        output.WriteLine($"gallery {GallerySize} × {Dim}, {Centres} clusters, {Queries} queries, k = {K}, USearch SIMD: {hnsw.HardwareAcceleration}");
        output.WriteLine($"build   exact {exactBuild,7:F2} s   hnsw {hnswBuild,7:F2} s (connectivity {options.Connectivity}, expansion add {options.ExpansionAdd} / search {options.ExpansionSearch}, one build thread)");
        output.WriteLine($"latency exact p50 {Percentile(exactMs, 0.5),7:F3} ms  p95 {Percentile(exactMs, 0.95),7:F3} ms");
        output.WriteLine($"latency hnsw  p50 {Percentile(hnswMs, 0.5),7:F3} ms  p95 {Percentile(hnswMs, 0.95),7:F3} ms");
        output.WriteLine($"speed-up (p50): {Percentile(exactMs, 0.5) / Percentile(hnswMs, 0.5):F1}x");
        output.WriteLine($"hnsw recall@10 vs exact: {recall:F4}   top-1 agreement: {top1:F4}");
    }

    private static double[] Time(float[][] queries, Func<float[], IReadOnlyList<SearchHit>> search, int[][] results)
    {
        for (var i = 0; i < 10; i++) search(queries[i]); // warm-up
        var ms = new double[queries.Length];
        for (var i = 0; i < queries.Length; i++)
        {
            var sw = Stopwatch.StartNew();
            var hits = search(queries[i]);
            ms[i] = sw.Elapsed.TotalMilliseconds;
            results[i] = hits.Select(h => h.Index).ToArray();
        }
        return ms;
    }

    private static double Percentile(double[] values, double p)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }

    private static float[] Gaussian(Random rng, double sigma)
    {
        var v = new float[Dim];
        for (var d = 0; d < Dim; d++)
            v[d] = (float)(sigma / Math.Sqrt(Dim) * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
        return v;
    }

    private static float[] Normalise(float[] v)
    {
        var norm = MathF.Sqrt(v.Sum(a => a * a));
        return v.Select(a => a / norm).ToArray();
    }
}
