using VptSp.Core.Runtime;
using VptSp.Core.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Runtime;

/// <summary><c>bf16: auto</c>: bfloat16 only where the device at hand multiplies matrices faster in it than in fp32.</summary>
public sealed class Bf16AutoTests(ITestOutputHelper log)
{
    [Fact]
    public void TheProbeTimesBothPrecisionsAndCallsBf16FasterOnlyWithAClearMargin()
    {
        var probe = TorchRuntime.ProbeBf16(CPU);
        log.WriteLine($"fp32 {probe.Fp32Ms:F3} ms, bf16 {probe.Bf16Ms:F3} ms per product → {probe.Describe()}");
        Assert.True(probe.Fp32Ms > 0 && probe.Bf16Ms > 0, "both precisions were timed");
        Assert.Equal(probe.Bf16Ms <= 0.9 * probe.Fp32Ms, probe.Faster);
        Assert.Same(probe, TorchRuntime.ProbeBf16(CPU)); // measured once per process
        Assert.StartsWith(probe.Faster ? "bf16 (a bf16 matrix product takes " : "fp32 (a bf16 matrix product takes ", probe.Describe());
    }

    [Fact]
    public void TheProbesWordsSayWhichPrecisionAndTheRatio()
    {
        Assert.Equal("fp32 (a bf16 matrix product takes 9.80× the fp32 time here)", new Bf16Probe(false, 1.0, 9.8).Describe());
        Assert.Equal("bf16 (a bf16 matrix product takes 0.31× the fp32 time here)", new Bf16Probe(true, 10, 3.1).Describe());
        Assert.Equal("fp32 (bf16 matrix products do not run here)", new Bf16Probe(false, 0, 0).Describe());
    }

    [Fact]
    public void OnAndOffAreObeyedAutoFollowsTheProbeAndCudaFp16WinsOverBf16()
    {
        var c = new TrainingConfig { PretrainedModel = "vit_test_patch8_32" };
        Assert.True(ModelFactory.UsesBf16(c with { Bf16 = Bf16Mode.On }, onGpu: false));
        Assert.False(ModelFactory.UsesBf16(c with { Bf16 = Bf16Mode.Off }, onGpu: false));
        Assert.Equal(TorchRuntime.ProbeBf16(CPU).Faster, ModelFactory.UsesBf16(c with { Bf16 = Bf16Mode.Auto }, onGpu: false));
        Assert.False(ModelFactory.UsesBf16(c with { Bf16 = Bf16Mode.On, MixPrecision = true }, onGpu: true));
        Assert.True(ModelFactory.UsesBf16(c with { Bf16 = Bf16Mode.On, MixPrecision = true }, onGpu: false));
    }

    [Theory]
    [InlineData("bf16: auto", Bf16Mode.Auto)]
    [InlineData("bf16: true", Bf16Mode.On)]
    [InlineData("bf16: false", Bf16Mode.Off)]
    [InlineData("name: x", Bf16Mode.Off)] // the reference's default
    public void TheKeyReadsAutoAndTheBooleansOfEarlierConfigs(string yaml, Bf16Mode expected) =>
        Assert.Equal(expected, TrainingConfigYaml.Parse(yaml).Bf16);

    [Fact]
    public void AStoredConfigWithABooleanBf16StillLoadsAndABadValueNamesTheChoices()
    {
        Assert.Equal(Bf16Mode.On, TrainingConfigYaml.FromJson("""{"bf16": true}""").Bf16);
        Assert.Equal(Bf16Mode.Auto, TrainingConfigYaml.FromJson(new TrainingConfig { Bf16 = Bf16Mode.Auto }.ToJson()).Bf16);
        var ex = Assert.Throws<ConfigException>(() => TrainingConfigYaml.Parse("bf16: sometimes"));
        Assert.Contains("bf16", ex.Message);
        Assert.Contains("false, true, auto", ex.Message);
    }

    [Fact]
    public void TheEmojiPresetsChooseTheirPrecisionOnTheMachineAtHand()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(VptSp.Tests.Support.TestPaths.RepoRoot, "configs"), "emoji_*.yaml"))
            Assert.True(TrainingConfigYaml.Load(file).Bf16 == Bf16Mode.Auto, $"{Path.GetFileName(file)}: bf16 should be auto");
    }
}
