using VptSp.Core.Modeling;
using VptSp.Core.Modeling.Checkpoints;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Modeling;

public class AdapterTests
{
    private static Tensor Features(AdapterOptions? adapter, Tensor x)
    {
        using var vit = new VisionTransformer(TinyVitFixture.Spec(0), adapter);
        CheckpointImporter.Import(vit, TinyVitFixture.Safetensors);
        vit.eval();
        using var _ = no_grad();
        return vit.ForwardFeatures(x);
    }

    [Theory]
    [InlineData("parallel")]
    [InlineData("sequential")]
    public void LoraInitialisedAdaptersStartAsTheIdentity(string option)
    {
        using var scope = NewDisposeScope();
        var x = TinyVitFixture.Images();
        var plain = Features(null, x);
        Assert.True(Features(TinyModels.Adapter(("adapter_option", option), ("adapter_num_blocks", "2"), ("adapter_bottleneck_dim", "4")), x).allclose(plain, 1e-6, 1e-6));
        // with BERT init the adapters change the features, so they are really in the forward path
        Assert.False(Features(TinyModels.Adapter(("adapter_option", option), ("adapter_num_blocks", "2"), ("adapter_bottleneck_dim", "4"),
            ("adapter_init_option", "bert"), ("adapter_ln_position", "pre")), x)
            .allclose(plain, 1e-4, 1e-4));
    }

    [Fact]
    public void AdaptersGoIntoTheLastBlocksOnly()
    {
        using var vit = new VisionTransformer(VitPresets.Get("vit_test_patch8_32"), TinyModels.Adapter(("adapter_num_blocks", "1")));
        Assert.False(vit.BlockAt(0).HasAdapter);
        Assert.True(vit.BlockAt(1).HasAdapter);
        Assert.Contains("blocks.1.adapter.down_proj.weight", vit.state_dict().Keys);
    }
}
