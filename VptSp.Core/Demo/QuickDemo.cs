namespace VptSp.Core.Demo;

/// <summary>
/// The quick emoji demo (<c>vptsp demo --quick</c>, and "Launch the quick demo" in the dashboard) as config overrides of
/// the <c>emoji_pretrain</c> and <c>emoji_&lt;method&gt;</c> presets: 2 pre-training epochs exporting their own backbone,
/// then 1 epoch per method on it, every epoch evaluated. One definition for both hosts.
/// </summary>
public static class QuickDemo
{
    public const string PretrainPreset = "emoji_pretrain";
    public const int PretrainEpochs = 2;
    public const int MethodEpochs = 1;

    /// <summary>Where the quick pre-training exports its backbone (under the data directory), apart from the full demo's.</summary>
    public const string Backbone = "backbones/emoji_vit_quick.safetensors";

    /// <summary>Shortens a preset to <paramref name="epochs"/>, cosine over the same length, evaluating from the first epoch.</summary>
    public static IReadOnlyDictionary<string, string> Epochs(int epochs) => new Dictionary<string, string>
    {
        ["n_epochs"] = epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["lr_cosine_length"] = epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["eval_start"] = "0",
    };

    /// <summary>Overrides of <c>emoji_pretrain</c>.</summary>
    public static IReadOnlyDictionary<string, string> PretrainOverrides { get; } =
        new Dictionary<string, string>(Epochs(PretrainEpochs)) { ["export_backbone"] = Backbone };

    /// <summary>Overrides of an <c>emoji_&lt;method&gt;</c> preset, starting from the quick pre-training's backbone.</summary>
    public static IReadOnlyDictionary<string, string> MethodOverrides { get; } =
        new Dictionary<string, string>(Epochs(MethodEpochs)) { ["backbone_checkpoint"] = Backbone };
}
