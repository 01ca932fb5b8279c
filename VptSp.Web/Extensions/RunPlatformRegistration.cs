using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VptSp.Core.Training;
using VptSp.Web.Data;
using VptSp.Web.Options;
using VptSp.Web.Services;
using VptSp.Web.Services.DataRoots;
using VptSp.Web.Services.Runs;

namespace VptSp.Web.Extensions;

public static class RunPlatformRegistration
{
    /// <summary>Storage options, the SQLite experiment history, the run queue and worker, the progress feed and data roots.</summary>
    public static WebApplicationBuilder AddRunPlatform(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StorageOptionsSetup>();
        services.AddSingleton<IPostConfigureOptions<StorageOptions>>(sp => sp.GetRequiredService<StorageOptionsSetup>());
        services.AddSingleton<IValidateOptions<StorageOptions>>(sp => sp.GetRequiredService<StorageOptionsSetup>());

        services.AddOptions<TrainingOptions>().BindConfiguration(TrainingOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddDbContextFactory<ExperimentDbContext>((sp, o) =>
            o.UseSqlite($"Data Source={sp.GetRequiredService<IOptions<StorageOptions>>().Value.DatabasePath}"));

        services.AddSingleton(_ => ConfigPresets.Discover());
        services.AddSingleton<IDatasetDetector, CatalogDatasetDetector>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IDataRootService, DataRootService>();
        services.AddSingleton<VptSp.Web.Services.Checkpoints.CheckpointService>();
        services.AddSingleton<ProgressFeed>();
        services.AddSingleton<IRunEvents>(sp => sp.GetRequiredService<ProgressFeed>());
        services.AddSingleton<TrainingQueue>();
        services.AddSingleton<RunSubmissionValidator>();
        services.AddSingleton<IRunService, RunService>();
        services.AddSingleton<VptSp.Web.Services.Experiments.IExperimentService, VptSp.Web.Services.Experiments.ExperimentService>();
        services.AddTrainingEngine();

        // Order matters: the database is migrated and cleaned up before the worker starts.
        services.AddHostedService<DatabaseInitializer>();
        services.AddHostedService<TrainingWorker>();
        return builder;
    }
}
