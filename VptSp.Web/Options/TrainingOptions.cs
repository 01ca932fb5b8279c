using System.ComponentModel.DataAnnotations;

namespace VptSp.Web.Options;

/// <summary>Section "Training": how the worker trains.</summary>
public sealed class TrainingOptions
{
    public const string Section = "Training";

    /// <summary>The device the worker trains on ("cpu", "cuda:0"; null: the engine's choice). One run at a time runs on it.</summary>
    [RegularExpression("^(cpu|cuda(:[0-9]+)?)$", ErrorMessage = "Training:Device must be cpu, cuda or cuda:N")]
    public string? Device { get; set; }
}
