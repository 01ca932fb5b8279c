using static TorchSharp.torch;

namespace VptSp.Benchmarks;

/// <summary>fp32 and bf16 matrix-product throughput on this device: the yardstick other entries compare to.</summary>
public sealed class MatmulBenchmark : IBenchmark
{
    public string Name => "matmul";
    public string Description => "GFLOP/s of a 1024² matrix product, fp32 vs bf16";

    public void Run(TextWriter output)
    {
        const int n = 1024;
        var flops = 2.0 * n * n * n;
        using var a = randn(n, n);
        using var b = randn(n, n);
        using var a16 = a.to(ScalarType.BFloat16);
        using var b16 = b.to(ScalarType.BFloat16);
        var fp32 = BenchmarkRunner.MedianMs(() => { using var c = a.mm(b); });
        var bf16 = BenchmarkRunner.MedianMs(() => { using var c = a16.mm(b16); });
        output.WriteLine($"threads {get_num_threads()}");
        output.WriteLine($"fp32  {fp32,8:F2} ms  {flops / fp32 / 1e6,8:F1} GFLOP/s");
        output.WriteLine($"bf16  {bf16,8:F2} ms  {flops / bf16 / 1e6,8:F1} GFLOP/s");
        output.WriteLine($"bf16 / fp32 speed-up: {fp32 / bf16:F2}x");
    }
}
