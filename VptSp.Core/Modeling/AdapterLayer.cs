using TorchSharp;
using static TorchSharp.torch;
using VptSp.Core.Runtime;

namespace VptSp.Core.Modeling;

/// <summary>AdaptFormer bottleneck: [LN] → down_proj → ReLU → dropout → up_proj → ×scalar → [LN] (+ residual when sequential).</summary>
public sealed class AdapterLayer : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly Norm adapter_ln;
    private readonly Dense down_proj;
    private readonly Dense up_proj;
#pragma warning restore IDE1006
    private readonly AdapterOptions _options;

    public AdapterLayer(string name, int dim, AdapterOptions options) : base(name)
    {
        _options = options;
        adapter_ln = new Norm("adapter_ln", dim, eps: 1e-5);
        down_proj = new Dense("down_proj", dim, options.BottleneckDim);
        up_proj = new Dense("up_proj", options.BottleneckDim, dim);
        RegisterComponents();
        using var _ = no_grad();
        if (options.InitOption == AdapterInit.Lora)
        {
            // down keeps the kaiming-uniform(a=√5) default; the adapter starts as the identity
            nn.init.zeros_(up_proj.Weight);
            nn.init.zeros_(down_proj.Bias!);
            nn.init.zeros_(up_proj.Bias!);
        }
        else
        {
            Init.Normal(down_proj.Weight, 0.0, 0.02);
            Init.Normal(up_proj.Weight, 0.0, 0.02);
            nn.init.zeros_(down_proj.Bias!);
            nn.init.zeros_(up_proj.Bias!);
        }
    }

    /// <summary>The adapter's branch output (no residual).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = _options.LnPosition == AdapterLnPosition.Pre ? adapter_ln.call(x) : x;
        h = nn.functional.relu(down_proj.call(h));
        h = nn.functional.dropout(h, _options.Dropout, training);
        using var scale = _options.Scalar.ToScalar();
        h = up_proj.call(h).mul(scale);
        if (_options.LnPosition == AdapterLnPosition.Post) h = adapter_ln.call(h);
        return h.MoveToOuterDisposeScope();
    }
}
