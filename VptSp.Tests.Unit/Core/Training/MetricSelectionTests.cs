using VptSp.Core.Data.Images;
using VptSp.Core.Evaluation;
using VptSp.Core.Modeling;
using VptSp.Core.Training;

namespace VptSp.Tests.Core.Training;

public class MetricSelectionTests
{
    private static TrainingConfig Parse(string yaml) => TrainingConfigYaml.Parse(yaml);

    private static TrainingConfig Preset(string name) =>
        new ConfigPresets(Path.Combine(VptSp.Tests.Support.TestPaths.RepoRoot, "configs")).Load(name);

    [Fact]
    public void StorageMetricMapRSelectsTheBestEpochByTheReferenceVariant()
    {
        Assert.Equal("map@r_ref", MetricSelection.StorageKey(Parse("storage_metrics: [mAP_R]\n")));
        Assert.Equal("recall@1", MetricSelection.StorageKey(Parse("storage_metrics: [e_recall@1]\n")));
        Assert.Equal("nmi", MetricSelection.StorageKey(Parse("storage_metrics: [nmi]\n")));
        Assert.Equal("map@1000", MetricSelection.StorageKey(Parse("storage_metrics: [mAP_1000]\nevaluation_metrics: [e_recall@1, mAP_1000]\n")));
    }

    [Fact]
    public void InShopStorageMetricMapRSelectsByTheReferencesInShopMap()
    {
        var c = Parse("dataset: inshop\nstorage_metrics: [mAP_R]\n");
        Assert.Equal("map@50_ref", MetricSelection.StorageKey(c));
        Assert.Equal("recall@10", MetricSelection.StorageKey(c with { StorageMetrics = ["e_recall@10"] }));
    }

    [Fact]
    public void SopConfigsAskForRecallAt1_10_100AndF1()
    {
        var c = Preset("sop_small");
        var o = MetricSelection.Options(c);
        Assert.Equal([1, 10, 100], o.RecallKs);
        Assert.True(o.Clustering); // f1
        Assert.False(o.MapAt1000);
    }

    [Fact]
    public void Map1000NamesTurnOnTheirMetricsAndKMeansUsesFaissSeedWhateverTheRunSeed()
    {
        var o = MetricSelection.Options(Parse("seed: 7\nevaluation_metrics: [e_recall@1, mAP_1000, c_mAP_1000]\n"));
        Assert.True(o.MapAt1000);
        Assert.True(o.CosineMapAt1000);
        Assert.Equal(Clustering.FaissSeed, o.KMeansSeed);
    }

    [Fact]
    public void AugmentationNoneTrainsOnTheEvalTransformAndBaseOnRandomCrops()
    {
        var p = new Preprocessing(32, [0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f], "bicubic", 0.875);
        Assert.IsType<TrainTransform>(Augmentation.TrainTransform(Parse("augmentation: base\n"), p));
        var none = Assert.IsType<EvalTransform>(Augmentation.TrainTransform(Parse("augmentation: none\n"), p));
        Assert.Equal(32, none.Size);
    }

    [Fact]
    public void TrainingMetricsFollowNoTrainMetricsAndAreSkippedForQueryGalleryRuns()
    {
        Assert.True(TrainSplitMetrics.Wanted(Parse("no_train_metrics: false\n"), queryGallery: false));
        Assert.False(TrainSplitMetrics.Wanted(Parse("no_train_metrics: true\n"), queryGallery: false));
        Assert.False(TrainSplitMetrics.Wanted(Parse("no_train_metrics: false\n"), queryGallery: true));
        Assert.False(Preset("inaturalist_basic").NoTrainMetrics); // the reference's iNat config computes them
        Assert.True(Preset("cub200_small").NoTrainMetrics);
    }
}
