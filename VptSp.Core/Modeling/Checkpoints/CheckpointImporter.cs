using static TorchSharp.torch;

namespace VptSp.Core.Modeling.Checkpoints;

/// <summary>What an import did.</summary>
/// <param name="Loaded">Keys copied into the model.</param>
/// <param name="Dropped">Checkpoint keys deliberately ignored (the classifier <c>head.*</c>).</param>
/// <param name="FreshlyInitialised">Model keys the checkpoint cannot have (adapters) left at their initial values.</param>
/// <param name="PosEmbedResampled">True when the position embedding was resampled to the model's grid.</param>
/// <param name="Sha256">Hash of the checkpoint file.</param>
public sealed record ImportReport(
    IReadOnlyList<string> Loaded,
    IReadOnlyList<string> Dropped,
    IReadOnlyList<string> FreshlyInitialised,
    bool PosEmbedResampled,
    string Sha256);

/// <summary>Loads timm / Hugging Face ViT checkpoints (.safetensors, .pth/.pt/.bin) into a <see cref="VisionTransformer"/> by name, checking every shape.</summary>
public static class CheckpointImporter
{
    /// <summary>
    /// Copies the checkpoint into <paramref name="vit"/>: unwraps <c>state_dict</c>/<c>model</c>, strips <c>module.</c>, drops
    /// <c>head.*</c> unless the model has a head and <paramref name="keepHead"/> is set, resamples <c>pos_embed</c> to the model's
    /// grid, and fails with one <see cref="CheckpointMismatchException"/> listing missing, unexpected and mis-shaped keys.
    /// Values are copied in place, so the model's trainability flags are untouched.
    /// </summary>
    public static ImportReport Import(VisionTransformer vit, string path, bool keepHead = false)
    {
        var source = StateDictReader.Read(path);
        try
        {
            return Import(vit, source, path, keepHead) with { Sha256 = StateDictReader.Sha256(path) };
        }
        finally
        {
            foreach (var t in source.Values) t.Dispose();
        }
    }

    /// <summary>Same as <see cref="Import(VisionTransformer,string,bool)"/> for an in-memory state dict (not disposed here).</summary>
    public static ImportReport Import(VisionTransformer vit, IReadOnlyDictionary<string, Tensor> source, string sourceName, bool keepHead = false)
    {
        var target = vit.state_dict();
        var useHead = keepHead && vit.HasHead;
        // the reference's AdaptBlock (adapter_attention: reference) has no qkv bias: it drops the pretrained one
        var dropped = source.Keys.Where(k => (!useHead && k.StartsWith("head.", StringComparison.Ordinal)) || DroppedByAdapter(k, target))
            .OrderBy(k => k, StringComparer.Ordinal).ToList();
        var fresh = target.Keys.Where(k => k.Contains(".adapter.", StringComparison.Ordinal) && !source.ContainsKey(k)).ToList();
        var missing = target.Keys.Where(k => !source.ContainsKey(k) && !fresh.Contains(k)).ToList();
        var unexpected = source.Keys.Where(k => !target.ContainsKey(k) && !dropped.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var misShaped = new List<string>();
        var resampled = false;
        var plan = new List<(string Key, Tensor Value, bool Owned)>();
        foreach (var (key, dst) in target)
        {
            if (!source.TryGetValue(key, out var src)) continue;
            var value = src;
            var owned = false;
            if (key == "pos_embed" && src.dim() == 3 && dst.dim() == 3 && src.shape[2] == dst.shape[2] && src.shape[1] != dst.shape[1])
            {
                try
                {
                    // timm resamples the patch grid only: the prefix rows, when pos_embed has them, are kept as they are
                    value = PosEmbedResampler.Resample(src, vit.Spec.GridSize, vit.Spec.NoEmbedClass ? 0 : vit.Spec.PrefixTokens);
                    owned = true;
                    resampled = true;
                }
                catch (ArgumentException)
                {
                    // reported as mis-shaped below
                }
            }
            if (!value.shape.SequenceEqual(dst.shape))
            {
                misShaped.Add($"{key}: checkpoint [{string.Join(", ", src.shape)}] vs model [{string.Join(", ", dst.shape)}]");
                if (owned) value.Dispose();
                continue;
            }
            plan.Add((key, value, owned));
        }
        try
        {
            if (missing.Count > 0 || unexpected.Count > 0 || misShaped.Count > 0)
                throw new CheckpointMismatchException(sourceName, missing, unexpected, misShaped);
            using (no_grad())
                foreach (var (key, value, _) in plan)
                    target[key].copy_(value);
            return new ImportReport(plan.Select(p => p.Key).ToList(), dropped, fresh, resampled, "");
        }
        finally
        {
            foreach (var (_, value, owned) in plan)
                if (owned) value.Dispose();
        }
    }

    private static bool DroppedByAdapter(string key, Dictionary<string, Tensor> target) =>
        key.EndsWith(".attn.qkv.bias", StringComparison.Ordinal) && !target.ContainsKey(key)
        && target.ContainsKey(key[..^".attn.qkv.bias".Length] + ".adapter.down_proj.weight");
}
