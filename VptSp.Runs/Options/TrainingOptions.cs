using System.ComponentModel.DataAnnotations;

namespace VptSp.Runs.Options;

/// <summary>Section "Training": how the worker trains.</summary>
public sealed class TrainingOptions
{
    public const string Section = "Training";

    /// <summary>The device the worker trains on ("cpu", a GPU index such as "0", "cuda", "cuda:0"; null: the engine's choice). One run at a time runs on it.</summary>
    [RegularExpression("^(cpu|[0-9]+|cuda(:[0-9]+)?)$", ErrorMessage = "Training:Device must be cpu, a GPU index (0, 1, …), cuda or cuda:N")]
    public string? Device { get; set; }
}
