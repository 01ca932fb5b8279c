using System.Text.Json.Nodes;
using VptSp.Core.Modeling;
using VptSp.Core.Modeling.Checkpoints;

namespace VptSp.Tests.Core.Modeling;

/// <summary>manifest.json keeps the options' strings, and manifests written before some options existed still load.</summary>
public class ArtefactManifestTests
{
    private static ArtefactManifest Manifest(ModelOptions options) =>
        new(ArtefactManifest.CurrentFormat, options, options.Backbone, null, null, ["head.weight"], null);

    [Fact]
    public void ChoicesAreStoredAsTheirConfigSpellingsAndReadBackEqual()
    {
        var options = TinyModels.Options("vptsp_g", c => c with { SemanticMixType = SemanticMixType.Mix, VitGlobalPooling = GlobalPooling.Avg });
        var json = Manifest(options).ToJson();
        var stored = JsonNode.Parse(json)!["Options"]!;
        Assert.Equal("vptsp_g", stored["Method"]!.GetValue<string>());
        Assert.Equal("mix", stored["SemanticMixType"]!.GetValue<string>());
        Assert.Equal("avg", stored["GlobalPooling"]!.GetValue<string>());
        Assert.Equal("adamw", stored["Optim"]!.GetValue<string>());
        Assert.Equal("parallel", stored["Adapter"]!["Option"]!.GetValue<string>());
        Assert.Equal(options, ArtefactManifest.FromJson(json, "test").Options);
    }

    [Fact]
    public void AManifestWrittenBeforeThePrecisionAndBankOptionsLoadsAsItWasTrained()
    {
        var json = JsonNode.Parse(Manifest(TinyModels.Options("vptsp_g")).ToJson())!;
        var options = json["Options"]!.AsObject();
        foreach (var name in new[] { "Bf16", "Fp16", "Optim", "Decay", "SgdMomentum", "PromptMemoryBank" }) options.Remove(name);
        var loaded = ArtefactManifest.FromJson(json.ToJsonString(), "old").Options;
        Assert.True(loaded.PromptMemoryBank);
        Assert.False(loaded.Bf16 || loaded.Fp16);
        Assert.Equal(0.9, loaded.SgdMomentum);
    }

    [Fact]
    public void AManifestMissingARequiredOptionIsRefusedByName()
    {
        var json = JsonNode.Parse(Manifest(TinyModels.Options("vpt")).ToJson())!;
        json["Options"]!.AsObject().Remove("NumPrompt");
        var ex = Assert.Throws<InvalidDataException>(() => ArtefactManifest.FromJson(json.ToJsonString(), "old"));
        Assert.Contains("NumPrompt", ex.Message);
    }
}
