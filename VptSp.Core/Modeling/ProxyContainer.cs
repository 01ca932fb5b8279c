using static TorchSharp.torch;

namespace VptSp.Core.Modeling;

/// <summary>The proxy container: a C×E buffer, not a parameter, owned outside every dispose scope.</summary>
internal sealed class ProxyContainer : IDisposable
{
    public ProxyContainer(Tensor initial) => Value = initial.detach().clone().DetachFromDisposeScope();

    public Tensor Value { get; private set; }

    /// <summary>Stores a detached copy of <paramref name="next"/> (the graph stays with the caller's tensor).</summary>
    public void Commit(Tensor next)
    {
        var copy = next.detach().clone().DetachFromDisposeScope();
        Value.Dispose();
        Value = copy;
    }

    public void MoveTo(Device device) => Commit(Value.to(device));

    public void Dispose() => Value.Dispose();
}
