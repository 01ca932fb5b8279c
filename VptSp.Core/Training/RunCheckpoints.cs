using VptSp.Core.Modeling;
using VptSp.Core.Modeling.Checkpoints;
using static TorchSharp.torch;

namespace VptSp.Core.Training;

/// <summary>
/// A run's <c>checkpoint/</c> and <c>artefacts/</c> I/O: model tensors, optimiser states, the class-prompt bank's optimiser
/// state and <c>state.json</c>, each directory replaced by a durable swap (docs/durability.md).
/// </summary>
internal sealed class RunCheckpoints(RunDirectory dir, MetricModel model, OptimizerSet optimizers)
{
    /// <summary>The class-prompt bank's optimiser state inside <c>checkpoint/</c>.</summary>
    public const string BankStateFile = "optimizer_class_prompts.safetensors";

    private const string ModelDir = "model";
    private const string StateFile = "state.json";

    /// <summary>Restores the model, the optimisers and the bank from <c>checkpoint/</c>; returns its state.</summary>
    public CheckpointState Load()
    {
        model.LoadArtefact(Path.Combine(dir.CheckpointDir, ModelDir));
        optimizers.Load(dir.CheckpointDir);
        if (model.ClassPrompts is { } bank) LoadBankState(bank, Path.Combine(dir.CheckpointDir, BankStateFile));
        return CheckpointState.Load(dir.CheckpointStateFile);
    }

    /// <summary>The journal and metrics.jsonl are forced to the disk first: a checkpoint never covers records that could be lost.</summary>
    public void Save(CheckpointState state, RunJournal? journal)
    {
        journal?.Sync();
        DurableFiles.SyncFile(dir.MetricsFile);
        RunDirectory.ReplaceDirectory(dir.CheckpointDir, tmp =>
        {
            using var scope = NewDisposeScope(); // the copies made while saving die here, not at some later GC
            model.SaveArtefact(Path.Combine(tmp, ModelDir));
            optimizers.Save(tmp);
            if (model.ClassPrompts is { } bank) SaveTensors(Path.Combine(tmp, BankStateFile), bank.OptimizerState());
            state.Save(Path.Combine(tmp, StateFile));
        });
    }

    /// <summary>Replaces <c>artefacts/</c> with the model's trained tensors.</summary>
    public void SaveArtefacts()
    {
        using var scope = NewDisposeScope();
        RunDirectory.ReplaceDirectory(dir.ArtefactsDir, model.SaveArtefact);
    }

    private static void SaveTensors(string file, Dictionary<string, Tensor> tensors)
    {
        try { TorchSharp.PyBridge.Safetensors.SaveStateDict(file, tensors); }
        finally { foreach (var t in tensors.Values) t.Dispose(); }
    }

    private static void LoadBankState(ClassPromptBank bank, string file)
    {
        if (!File.Exists(file)) throw new FileNotFoundException($"checkpoint lacks the class-prompt optimiser state {Path.GetFileName(file)}", file);
        var state = StateDictReader.ReadSafetensors(file);
        try { bank.LoadOptimizerState(state); }
        finally { foreach (var t in state.Values) t.Dispose(); }
    }
}
