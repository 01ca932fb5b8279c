using TorchSharp;
using VptSp.Core.Modeling;
using VptSp.Core.Runtime;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Modeling;

public class SemanticGruTests
{
    private static SemanticGru Cell(string type)
    {
        var cell = new SemanticGru("rnn_update", 1, 1, EnumNames.Parse<SemanticMixType>(type));
        var values = new Dictionary<string, float>
        {
            ["W_iz"] = 0.5f, ["W_hz"] = -1.0f, ["b_iz"] = 0.1f,
            ["W_ir"] = 2.0f, ["W_hr"] = 0.3f, ["b_ir"] = -0.2f,
            ["W_in"] = -1.5f, ["W_hn"] = 0.7f, ["b_in"] = 0.05f,
        };
        using var _ = no_grad();
        foreach (var (name, p) in cell.named_parameters())
        {
            using var value = values[name].ToScalar();
            p.fill_(value);
        }
        return cell;
    }

    [Theory]
    [InlineData("gru")]
    [InlineData("gru_relu")]
    public void GruCellEqualsHandComputedValue(string type)
    {
        // x = 0.4, h = 0.6:
        // z = σ(0.5·0.4 − 1.0·0.6 + 0.1) = σ(−0.3)
        // r = σ(2.0·0.4 + 0.3·0.6 − 0.2) = σ(0.78)
        // n = act(−1.5·0.4 + r·(0.7·0.6) + 0.05) = act(−0.55 + 0.42·r)
        // h' = (1 − z)·n + z·0.6
        static double S(double v) => 1 / (1 + Math.Exp(-v));
        var z = S(-0.3);
        var r = S(0.78);
        var pre = -0.55 + 0.42 * r;
        var n = type == "gru" ? Math.Tanh(pre) : Math.Max(pre, 0);
        var expected = (1 - z) * n + z * 0.6;

        using var cell = Cell(type);
        using var h = cell.call(tensor(new[] { 0.4f }).view(1, 1), tensor(new[] { 0.6f }).view(1, 1));
        Assert.Equal(expected, h.item<float>(), 5);
    }
}
