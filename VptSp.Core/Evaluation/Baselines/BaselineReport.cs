namespace VptSp.Core.Evaluation.Baselines;

/// <summary>One reference score: what a method that learned nothing reaches on the split (fractions, 0–1).</summary>
/// <param name="Key">Stable id: "chance", "pixels8", "pixels64".</param>
/// <param name="Name">How it is shown: "chance", "raw pixels 8×8".</param>
/// <param name="MapAtR">MAP@R for a split searched against itself; null for query/gallery datasets (In-Shop).</param>
public sealed record BaselineScore(string Key, string Name, double RecallAt1, double RecallAt2, double? MapAtR);

/// <summary>
/// The baselines of one dataset's evaluation split, computed once and cached (<see cref="DatasetBaselines"/>):
/// chance and raw-pixel k-NN at a few sizes, in the order they are shown.
/// </summary>
/// <param name="Fingerprint"><see cref="SplitFingerprint"/> of the split the scores belong to.</param>
/// <param name="Notes">What was left out and why (e.g. a size skipped because the split is too large).</param>
public sealed record BaselineReport(
    int Format,
    string Dataset,
    string Split,
    string Fingerprint,
    int Images,
    int Classes,
    IReadOnlyList<BaselineScore> Scores,
    IReadOnlyList<string> Notes,
    DateTimeOffset ComputedAt)
{
    public const int CurrentFormat = 1;

    public BaselineScore? Find(string key) => Scores.FirstOrDefault(s => s.Key == key);
}
