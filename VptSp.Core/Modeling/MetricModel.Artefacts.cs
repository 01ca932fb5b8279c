using TorchSharp.PyBridge;
using VptSp.Core.Modeling.Checkpoints;
using VptSp.Core.Runtime;
using static TorchSharp.torch;

namespace VptSp.Core.Modeling;

public sealed partial class MetricModel
{
    /// <summary>
    /// Writes the run artefact into <paramref name="dir"/>: <c>trained.safetensors</c> (every trainable tensor, the proxy
    /// container and the memory-bank class prompts, fp32) and <c>manifest.json</c> (options + backbone identity). A
    /// <c>full</c> run also writes <c>backbone.safetensors</c>, a complete timm-named backbone checkpoint. Files are written
    /// under temporary names and renamed at the end.
    /// </summary>
    public void SaveArtefact(string dir)
    {
        Directory.CreateDirectory(dir);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var backboneExport = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            using (no_grad())
            using (NewDisposeScope()) // the detach/to/cpu intermediates die here; the copies leave it and die in finally
            {
                foreach (var (name, p) in named_parameters())
                    if (p.requires_grad) tensors[name] = p.detach().to(ScalarType.Float32).cpu().contiguous().clone().DetachFromDisposeScope();
                if (_container is not null) tensors[ProxyContainerTensor] = _container.Value.to(ScalarType.Float32).cpu().clone().DetachFromDisposeScope();
                if (_bank is not null)
                    for (var i = 0; i < _bank.Rows.Count; i++) tensors[$"{ClassPromptTensor}.{i}"] = _bank.Rows[i].clone().DetachFromDisposeScope();
                if (Options.Method == TrainingMethod.Full)
                    foreach (var (name, t) in backbone.state_dict())
                        backboneExport[name] = t.detach().to(ScalarType.Float32).cpu().contiguous().clone().DetachFromDisposeScope();
            }
            var written = new List<(string Tmp, string Final)>();
            void Stage(string file, Action<string> write)
            {
                var final = Path.Combine(dir, file);
                var tmp = final + ".tmp";
                write(tmp);
                written.Add((tmp, final));
            }
            Stage(ArtefactFiles.Trained, p => Safetensors.SaveStateDict(p, tensors));
            if (backboneExport.Count > 0) Stage(ArtefactFiles.Backbone, p => Safetensors.SaveStateDict(p, backboneExport));
            var manifest = new ArtefactManifest(ArtefactManifest.CurrentFormat, Options, Options.Backbone,
                Options.Checkpoint is null ? null : Path.GetFileName(Options.Checkpoint), CheckpointSha256,
                tensors.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList(),
                backboneExport.Count > 0 ? ArtefactFiles.Backbone : null);
            Stage(ArtefactFiles.Manifest, p => File.WriteAllText(p, manifest.ToJson()));
            foreach (var (tmp, final) in written) File.Move(tmp, final, overwrite: true);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
            foreach (var t in backboneExport.Values) t.Dispose();
        }
    }

    /// <summary>The manifest of the artefact in <paramref name="dir"/>; a missing one is a <see cref="FileNotFoundException"/> naming it.</summary>
    public static ArtefactManifest ReadManifest(string dir)
    {
        var manifestPath = Path.Combine(dir, ArtefactFiles.Manifest);
        if (!File.Exists(manifestPath)) throw new FileNotFoundException($"artefact manifest not found: {manifestPath}", manifestPath);
        return ArtefactManifest.FromJson(File.ReadAllText(manifestPath), manifestPath);
    }

    /// <summary>Every tensor <see cref="SaveArtefact"/> stored in <paramref name="dir"/> (the caller disposes them).</summary>
    public static Dictionary<string, Tensor> ReadTrainedTensors(string dir) => StateDictReader.ReadSafetensors(Path.Combine(dir, ArtefactFiles.Trained));

    /// <summary>
    /// True for stored tensors only training reads — the proxy net: proxy bias and container, class prompts, p_fc_norm,
    /// p_head and the semantic GRU. The embedding path never reads them. Named from this model's own fields.
    /// </summary>
    public static bool IsTrainingOnly(string tensorName) =>
        ProxyNetTensors.Any(n => tensorName == n || tensorName.StartsWith(n + ".", StringComparison.Ordinal));

    private static readonly string[] ProxyNetTensors =
        [nameof(proxies_bias), ProxyContainerTensor, ClassPromptTensor, nameof(p_fc_norm), nameof(p_head), nameof(rnn_update)];

    private const string ProxyContainerTensor = "proxies_container";
    private const string ClassPromptTensor = "p_prompts";

    /// <summary>
    /// Loads a run artefact saved by <see cref="SaveArtefact"/> over this model. The manifest must name the same method,
    /// preset, sizes and (unless the artefact carries a full backbone) the same checkpoint hash; every tensor is shape-checked.
    /// </summary>
    public void LoadArtefact(string dir)
    {
        var manifest = ReadManifest(dir);
        var o = manifest.Options;
        var problems = new List<string>();
        if (o.Method != Options.Method) problems.Add($"method {o.Method.Name()} vs model {Options.Method.Name()}");
        else if (o.Trainable != Options.Trainable)
            problems.Add($"trainable groups {string.Join(", ", o.Trainable.Names)} vs model {string.Join(", ", Options.Trainable.Names)}");
        if (manifest.BackbonePreset != Spec.Name) problems.Add($"backbone {manifest.BackbonePreset} vs model {Spec.Name}");
        if (o.EmbedDim != Options.EmbedDim) problems.Add($"embed_dim {o.EmbedDim} vs model {Options.EmbedDim}");
        if (o.NumClasses != Options.NumClasses) problems.Add($"n_classes {o.NumClasses} vs model {Options.NumClasses}");
        if (Options.Method != TrainingMethod.Full && manifest.CheckpointSha256 != CheckpointSha256)
            problems.Add($"backbone checkpoint sha256 {manifest.CheckpointSha256 ?? "(random)"} vs model {CheckpointSha256 ?? "(random)"}");
        if (Options.Method != TrainingMethod.Full && manifest.CheckpointSha256 is null && CheckpointSha256 is null && o.Seed != Options.Seed)
            problems.Add($"random backbone seed {o.Seed} vs model {Options.Seed}");
        if (problems.Count > 0)
            throw new InvalidDataException($"artefact '{dir}' does not fit this model: {string.Join("; ", problems)}");

        var stored = ReadTrainedTensors(dir);
        try
        {
            var parameters = named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter, StringComparer.Ordinal);
            var bankRows = new SortedDictionary<int, Tensor>();
            var bad = new List<string>();
            var plan = new List<(Tensor Target, Tensor Value)>();
            foreach (var (name, value) in stored)
            {
                if (name == ProxyContainerTensor && _container is not null)
                {
                    if (!value.shape.SequenceEqual(_container.Value.shape)) bad.Add($"{name}: shape [{string.Join(", ", value.shape)}]");
                    else plan.Add((_container.Value, value));
                }
                else if (name.StartsWith(ClassPromptTensor + ".", StringComparison.Ordinal) && _bank is not null
                         && int.TryParse(name[(ClassPromptTensor.Length + 1)..], out var idx))
                    bankRows[idx] = value;
                else if (parameters.TryGetValue(name, out var target))
                {
                    if (!value.shape.SequenceEqual(target.shape))
                        bad.Add($"{name}: artefact [{string.Join(", ", value.shape)}] vs model [{string.Join(", ", target.shape)}]");
                    else plan.Add((target, value));
                }
                else bad.Add($"{name}: not in the model");
            }
            if (bad.Count > 0) throw new InvalidDataException($"artefact '{dir}' has tensors that do not fit: {string.Join("; ", bad)}");
            using (no_grad())
                foreach (var (target, value) in plan) target.copy_(value);
            if (_bank is not null && bankRows.Count > 0) _bank.Load(bankRows.Values.ToList());
        }
        finally
        {
            foreach (var t in stored.Values) t.Dispose();
        }
    }

    /// <summary>Builds a model from an artefact's manifest (backbone from <paramref name="checkpoint"/> or the manifest's path) and loads the artefact.</summary>
    public static MetricModel FromArtefact(string dir, string? checkpoint = null, Device? device = null)
    {
        var manifest = ReadManifest(dir);
        var options = manifest.Options with { Checkpoint = checkpoint ?? manifest.Options.Checkpoint };
        if (options.Method == TrainingMethod.Full) options = options with { Checkpoint = Path.Combine(dir, ArtefactFiles.Backbone) };
        var model = new MetricModel(options, device);
        if (options.Method == TrainingMethod.Full) model.CheckpointSha256 = manifest.CheckpointSha256;
        model.LoadArtefact(dir);
        return model;
    }
}
