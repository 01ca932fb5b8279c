using VptSp.Core.Training;
using VptSp.Web.Services.Runs;

namespace VptSp.Web.Extensions;

public static class TrainingEngineRegistration
{
    /// <summary>
    /// The engine the worker trains with. Until VptSp.Core's Trainer is delivered every run fails with
    /// "training engine not available in this build"; to wire the real one change this single line to
    /// <c>services.AddSingleton&lt;ITrainingEngine, VptSp.Core.Training.Trainer&gt;();</c>
    /// </summary>
    public static IServiceCollection AddTrainingEngine(this IServiceCollection services) =>
        services.AddSingleton<ITrainingEngine, UnavailableTrainingEngine>();
}
