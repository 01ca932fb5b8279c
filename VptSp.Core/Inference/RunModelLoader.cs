using VptSp.Core.Modeling;
using VptSp.Core.Training;
using static TorchSharp.torch;

namespace VptSp.Core.Inference;

/// <summary>Loads a finished run's model (its best-epoch artefact over its backbone checkpoint).</summary>
public static class RunModelLoader
{
    public static MetricModel Load(string runDirectory, Device? device = null)
    {
        var dir = new RunDirectory(runDirectory);
        if (!Directory.Exists(dir.ArtefactsDir))
            throw new FileNotFoundException($"run {dir.Path} has no artefacts yet (train it first)");
        var source = dir.ReadSource();
        return MetricModel.FromArtefact(dir.ArtefactsDir, source?.BackboneCheckpoint, device);
    }
}
