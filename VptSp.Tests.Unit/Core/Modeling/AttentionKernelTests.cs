using VptSp.Core.Modeling;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Modeling;

public class AttentionKernelTests
{
    /// <summary>Output and input gradient of one attention module with a forced kernel, activations in <paramref name="dtype"/>.</summary>
    private static (float[] Output, float[] InputGrad) Run(AttentionKernel kernel, ScalarType dtype)
    {
        using var seed = Init.Seeded(11);
        using var attn = new Attention("attn", 32, 4) { Kernel = kernel };
        using var scope = NewDisposeScope();
        var x = randn(new long[] { 2, 9, 32 }, generator: new Generator(5)).to(dtype).requires_grad_(true);
        using var cast = Autocast.Enter(dtype == ScalarType.Float32 ? null : dtype);
        var y = attn.call(x);
        using var w = linspace(-1, 1, y.numel()).reshape(y.shape).to(y.dtype);
        y.mul(w).sum().backward();
        return (y.to(ScalarType.Float32).data<float>().ToArray(), x.grad!.to(ScalarType.Float32).data<float>().ToArray());
    }

    private static double MaxRelative(float[] a, float[] b)
    {
        var scale = a.Max(v => Math.Abs(v));
        return a.Zip(b, (u, v) => Math.Abs(u - v)).Max() / scale;
    }

    [Fact]
    public void ExplicitAndFusedAttentionAgreeInFp32()
    {
        var fused = Run(AttentionKernel.Fused, ScalarType.Float32);
        var exp = Run(AttentionKernel.Explicit, ScalarType.Float32);
        Assert.True(MaxRelative(fused.Output, exp.Output) < 1e-5, $"output {MaxRelative(fused.Output, exp.Output)}");
        Assert.True(MaxRelative(fused.InputGrad, exp.InputGrad) < 1e-5, $"gradient {MaxRelative(fused.InputGrad, exp.InputGrad)}");
    }

    [Fact]
    public void ExplicitAndFusedAttentionAgreeWithinBf16Precision()
    {
        // bf16 keeps 8 significant bits (relative step 2⁻⁸ ≈ 0.004); a few roundings apart is the most two kernels may differ
        var fused = Run(AttentionKernel.Fused, ScalarType.BFloat16);
        var exp = Run(AttentionKernel.Explicit, ScalarType.BFloat16);
        var reference = Run(AttentionKernel.Fused, ScalarType.Float32);
        Assert.True(MaxRelative(fused.Output, exp.Output) < 0.02, $"output {MaxRelative(fused.Output, exp.Output)}");
        Assert.True(MaxRelative(fused.InputGrad, exp.InputGrad) < 0.02, $"gradient {MaxRelative(fused.InputGrad, exp.InputGrad)}");
        Assert.True(MaxRelative(reference.Output, exp.Output) < 0.02, $"explicit bf16 vs fp32 {MaxRelative(reference.Output, exp.Output)}");
        Assert.False(fused.Output.SequenceEqual(reference.Output));   // bf16 really ran
    }

    [Theory]
    [InlineData(ScalarType.Float32, true, AttentionKernel.Fused)]
    [InlineData(ScalarType.Float32, false, AttentionKernel.Fused)]
    [InlineData(ScalarType.BFloat16, true, AttentionKernel.Explicit)]
    [InlineData(ScalarType.BFloat16, false, AttentionKernel.Explicit)]
    [InlineData(ScalarType.Float16, true, AttentionKernel.Fused)]
    public void TheMeasuredChoiceIsExplicitForBf16AndFusedOtherwise(ScalarType dtype, bool grads, AttentionKernel expected) =>
        Assert.Equal(expected, AttentionKernels.Choose(dtype, grads));
}
