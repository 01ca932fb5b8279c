using static TorchSharp.torch;

namespace VptSp.Tests.Core.Modeling;

/// <summary>The MLP's GELU is timm's exact (erf) one, in the forward and in the gradient libtorch's single fused kernel computes.</summary>
public class GeluGradientTests
{
    // d/dx x·Φ(x) = Φ(x) + x·φ(x), with Φ(x) = ½(1 + erf(x/√2)) and φ(x) = exp(−x²/2)/√(2π), evaluated in double precision by hand
    private static readonly float[] X = { -3f, -1f, -0.5f, 0f, 0.5f, 1f, 2f, 3f };
    private static readonly double[] ExactDerivative =
    {
        -0.011945647204183918, -0.08331547058768629, 0.13250487534383712, 0.5,
        0.8674951246561629, 1.0833154705876864, 1.085231801078197, 1.011945647204184,
    };
    // the tanh approximation's derivative differs from the exact one by 1e-4 to 9e-4 at these points
    private static readonly double[] TanhDerivative =
    {
        -0.01158416664437563, -0.08296408385288778, 0.1326300964749061, 0.5,
        0.8673699034844606, 1.0829640837983767, 1.086099256641937, 1.0115841666546999,
    };

    [Theory]
    [InlineData(ScalarType.Float32, 1e-6)]
    [InlineData(ScalarType.BFloat16, 8e-3)]   // bf16 keeps 8 significant bits
    public void GeluGradientIsTheExactErfDerivative(ScalarType dtype, double tolerance)
    {
        using var scope = NewDisposeScope();
        var x = tensor(X).to(dtype).requires_grad_(true);
        nn.functional.gelu(x).sum().backward();
        var grad = x.grad!.to(ScalarType.Float32).data<float>().ToArray();
        for (var i = 0; i < X.Length; i++)
            Assert.True(Math.Abs(grad[i] - ExactDerivative[i]) <= tolerance * Math.Max(1, Math.Abs(ExactDerivative[i])),
                $"x = {X[i]}: {grad[i]} vs {ExactDerivative[i]}");
        if (dtype == ScalarType.Float32)
            Assert.Contains(Enumerable.Range(0, X.Length), i => Math.Abs(grad[i] - TanhDerivative[i]) > 1e-4);   // not the tanh form
    }
}
