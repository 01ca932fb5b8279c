using System.Globalization;
using VptSp.Core.Demo;
using VptSp.Web.Components.Shared;
using VptSp.Runs;
using VptSp.Runs.DataRoots;

namespace VptSp.Web.Components.Pages.Runs;

/// <summary>
/// How long the demos train, from the emoji splits' sizes and a measured throughput: the last emoji run's img/s when
/// there is one, else the range measured for pre-training on 2 CPU cores (20 img/s on a busy machine, 82 img/s quiet).
/// Training time only: start-up and the evaluations come on top.
/// </summary>
public sealed record DemoEstimate(int PretrainImages, int TrainImages, int FullPretrainEpochs, int FullMethodEpochs, double? MeasuredImagesPerSecond)
{
    public const double BusyImagesPerSecond = 20;
    public const double QuietImagesPerSecond = 82;

    public int Images(bool quick) => quick
        ? PretrainImages * QuickDemo.PretrainEpochs + TrainImages * QuickDemo.MethodEpochs
        : PretrainImages * FullPretrainEpochs + TrainImages * FullMethodEpochs;

    public static TimeSpan At(int images, double imagesPerSecond) => TimeSpan.FromSeconds(Math.Ceiling(images / imagesPerSecond));

    /// <summary>"≈ 7:04 of training (8,480 images at the 20 img/s measured by run #3)" or the 2-core range.</summary>
    public string Describe(bool quick, long? measuredBy = null)
    {
        var n = Images(quick);
        var images = n.ToString("N0", CultureInfo.InvariantCulture);
        if (MeasuredImagesPerSecond is { } rate and > 0)
            return $"≈ {RunFormat.Duration(At(n, rate))} of training ({images} images at the {rate.ToString("0.#", CultureInfo.InvariantCulture)} img/s " +
                   (measuredBy is { } id ? $"run #{id} measured here)" : "measured here)");
        return $"≈ {RunFormat.Duration(At(n, QuietImagesPerSecond))}–{RunFormat.Duration(At(n, BusyImagesPerSecond))} of training " +
               $"({images} images at the {QuietImagesPerSecond:0}–{BusyImagesPerSecond:0} img/s measured for pre-training on 2 CPU cores, quiet to busy)";
    }

    /// <summary>The emoji splits of the first data root that has them (null without emoji data).</summary>
    public static (int Pretrain, int Train)? EmojiSizes(IReadOnlyList<DataRootInfo> roots)
    {
        foreach (var root in roots)
            foreach (var dataset in root.Datasets)
                if (dataset.Name == "emoji" && dataset.Splits.TryGetValue("pretrain", out var pre) && dataset.Splits.TryGetValue("train", out var train))
                    return (pre.Images, train.Images);
        return null;
    }

    /// <summary>Median img/s of a run's last (up to) 50 stored steps; null without steps.</summary>
    public static double? MedianRate(IReadOnlyList<StepSample> steps)
    {
        var rates = steps.TakeLast(50).Select(s => s.ImagesPerSecond).Where(r => r > 0 && double.IsFinite(r)).Order().ToList();
        if (rates.Count == 0) return null;
        return rates.Count % 2 == 1 ? rates[rates.Count / 2] : (rates[rates.Count / 2 - 1] + rates[rates.Count / 2]) / 2;
    }
}
