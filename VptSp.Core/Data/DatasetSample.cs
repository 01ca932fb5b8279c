namespace VptSp.Core.Data;

/// <summary>
/// One image of a split. <see cref="Label"/> is contiguous 0..C-1 within its split (query and gallery
/// share one mapping); <see cref="ClassName"/> is the dataset's own class name; <see cref="Domain"/>
/// is an optional rendering source (the emoji vendor), null for photo datasets.
/// </summary>
public sealed record DatasetSample(string Path, int Label, string ClassName, string? Domain = null);
