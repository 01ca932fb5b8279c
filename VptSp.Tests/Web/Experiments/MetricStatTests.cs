using VptSp.Web.Services.Experiments;

namespace VptSp.Tests.Web.Experiments;

public sealed class MetricStatTests
{
    [Fact]
    public void MeanAndSampleStdMatchHandComputedValues()
    {
        // mean 0.5; squared deviations 0.09 + 0.01 + 0.16 = 0.26; / (3 − 1) = 0.13; √0.13 = 0.360555127546…
        var s = MetricStat.Of([0.2, 0.4, 0.9])!.Value;
        Assert.Equal(0.5, s.Mean, 12);
        Assert.Equal(0.36055512754639896, s.Std, 12);
        Assert.Equal(3, s.N);
    }

    [Fact]
    public void SingleValueHasZeroStdAndNoValuesHaveNoStat()
    {
        Assert.Equal(new MetricStat(0.7, 0, 1), MetricStat.Of([0.7]));
        Assert.Null(MetricStat.Of([]));
        Assert.Equal(1, MetricStat.Of([0.3, double.NaN])!.Value.N);
    }
}
