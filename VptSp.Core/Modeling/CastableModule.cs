using TorchSharp.Modules;
using static TorchSharp.torch;

namespace VptSp.Core.Modeling;

/// <summary>
/// A module whose frozen parameters can be stored in a lower precision while trainable ones stay fp32.
/// Forward passes cast parameters to the activation dtype, so an fp32 trainable parameter inside a bf16
/// backbone is its own fp32 master copy (its gradient arrives in fp32 through the cast).
/// </summary>
public abstract class CastableModule : nn.Module<Tensor, Tensor>
{
    protected CastableModule(string name) : base(name) { }

    /// <summary>Converts this module's own frozen parameters (not children's) to <paramref name="dtype"/>.</summary>
    public abstract void CastFrozen(ScalarType dtype);

    /// <summary>Returns <paramref name="p"/> unchanged when it trains, otherwise a frozen copy in <paramref name="dtype"/> registered under <paramref name="name"/>.</summary>
    protected Parameter CastIfFrozen(string name, Parameter p, ScalarType dtype)
    {
        if (p.requires_grad || p.dtype == dtype) return p;
        Parameter replacement;
        using (no_grad())
            replacement = new Parameter(p.detach().to(dtype), requires_grad: false);
        ConditionallyRegisterParameter(name, replacement);
        p.Dispose();
        return replacement;
    }

    /// <summary>Casts every castable module in the tree below (and including) <paramref name="root"/>.</summary>
    public static void CastFrozenTree(nn.Module root, ScalarType dtype)
    {
        if (root is CastableModule c) c.CastFrozen(dtype);
        foreach (var (_, child) in root.named_modules())
            if (child is CastableModule cc && !ReferenceEquals(cc, root)) cc.CastFrozen(dtype);
    }
}
