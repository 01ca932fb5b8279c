using VptSp.Core.Training;

namespace VptSp.Runs;

public static class TrainingEngineRegistration
{
    /// <summary>The engine the worker trains with: VptSp.Core's <see cref="Trainer"/>.</summary>
    public static IServiceCollection AddTrainingEngine(this IServiceCollection services) =>
        services.AddSingleton<ITrainingEngine, Trainer>();
}
