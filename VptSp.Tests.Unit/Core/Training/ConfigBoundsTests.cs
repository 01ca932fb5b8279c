using VptSp.Core.Training;

namespace VptSp.Tests.Core.Training;

/// <summary>Issue #22: every numeric key has an upper bound (one table, on <see cref="ConfigKeyAttribute"/>), lists a length limit.</summary>
public sealed class ConfigBoundsTests
{
    [Fact]
    public void EveryNumericKeyHasAnUpperBoundAndEveryListALengthLimit()
    {
        foreach (var key in ConfigKeys.All)
        {
            if (key.Type == typeof(int) || key.Type == typeof(double) || key.Type == typeof(int[]))
                Assert.False(double.IsNaN(key.Meta.Max), $"{key.Name} has no Max");
            if (key.Type.IsArray)
                Assert.True(key.Meta.MaxItems > 0, $"{key.Name} has no MaxItems");
        }
    }

    [Theory]
    [InlineData("n_epochs=2147483647", "n_epochs", "at most 10000")]
    [InlineData("batch_size=1073741824", "batch_size", "at most 4096")]
    [InlineData("image_cache_mb=1073741824", "image_cache_mb", "at most 262144")]
    [InlineData("embed_dim=1073741824", "embed_dim", "at most 8192")]
    [InlineData("eval_batch_size=1073741824", "eval_batch_size", "at most 4096")]
    [InlineData("lr_reduce_multi_steps=[1, 99999]", "lr_reduce_multi_steps", "at most 10000")]
    public void AValueAboveItsBoundIsRefusedNamingTheKey(string assignment, string key, string text)
    {
        var ex = Assert.Throws<ConfigException>(() => new TrainingConfig().WithOverrides(TrainingConfigYaml.ParseAssignments([assignment])));
        Assert.Equal(key, ex.Key);
        Assert.Contains(text, ex.Message);
    }

    [Fact]
    public void ALongListIsRefusedNamingTheKey()
    {
        var metrics = "[" + string.Join(", ", Enumerable.Range(1, 4000).Select(k => $"e_recall@{k}")) + "]";
        var ex = Assert.Throws<ConfigException>(() => new TrainingConfig().WithOverrides(new Dictionary<string, string> { ["evaluation_metrics"] = metrics }));
        Assert.Equal("evaluation_metrics", ex.Key);
        Assert.Contains("4000 items; at most 64", ex.Message);
    }

    [Fact]
    public void TheLargestRealBenchmarkSettingsAreAccepted() =>
        new TrainingConfig().WithOverrides(new Dictionary<string, string>
        {
            ["batch_size"] = "256", ["n_epochs"] = "600", ["embed_dim"] = "2048", ["image_cache_mb"] = "65536", ["num_prompt"] = "100",
            ["eval_batch_size"] = "1024", ["lr_cosine_length"] = "600", ["kernels"] = "32",
        });
}
