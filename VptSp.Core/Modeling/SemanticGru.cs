using TorchSharp.Modules;
using static TorchSharp.torch;
using VptSp.Core.Runtime;

namespace VptSp.Core.Modeling;

/// <summary>
/// The GRU-like cell that mixes a class's semantic features into its proxy:
/// z = σ(x·W_iz + h·W_hz + b_iz); r = σ(x·W_ir + h·W_hr + b_ir); n = act(x·W_in + r ⊙ (h·W_hn) + b_in);
/// h' = dropout((1 − z) ⊙ n + z ⊙ h), act = tanh ("gru") or ReLU ("gru_relu"). Matrices are input×hidden.
/// </summary>
public sealed class SemanticGru : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names as in the reference cell
    private readonly Parameter W_ir, W_hr, b_ir, W_iz, W_hz, b_iz, W_in, W_hn, b_in;
#pragma warning restore IDE1006
    private readonly bool _relu;
    private readonly double _dropout;

    public SemanticGru(string name, int inputSize, int hiddenSize, SemanticMixType type = SemanticMixType.Gru, double dropout = 0.0) : base(name)
    {
        if (type is not (SemanticMixType.Gru or SemanticMixType.GruRelu)) throw new ArgumentException($"GRU type must be gru or gru_relu (got {type})");
        _relu = type == SemanticMixType.GruRelu;
        _dropout = dropout;
        Parameter M(int rows) => new(empty(rows, hiddenSize));
        Parameter V() => new(zeros(hiddenSize));
        W_ir = M(inputSize); W_hr = M(hiddenSize); b_ir = V();
        W_iz = M(inputSize); W_hz = M(hiddenSize); b_iz = V();
        W_in = M(inputSize); W_hn = M(hiddenSize); b_in = V();
        RegisterComponents();
        foreach (var w in new[] { W_ir, W_hr, W_iz, W_hz, W_in, W_hn }) Init.XavierUniform(w);
    }

    /// <summary>One update of hidden states <paramref name="h"/> (U×H) by inputs <paramref name="x"/> (U×I).</summary>
    public override Tensor forward(Tensor x, Tensor h)
    {
        using var scope = NewDisposeScope();
        var z = sigmoid(x.mm(W_iz).Plus(h.mm(W_hz)).Plus(b_iz));
        var r = sigmoid(x.mm(W_ir).Plus(h.mm(W_hr)).Plus(b_ir));
        var pre = x.mm(W_in).Plus(r * h.mm(W_hn)).Plus(b_in);
        var n = _relu ? nn.functional.relu(pre) : tanh(pre);
        var next = (z.RSub(Scalars.One) * n).Plus(z * h);
        next = nn.functional.dropout(next, _dropout, training);
        return next.MoveToOuterDisposeScope();
    }
}
