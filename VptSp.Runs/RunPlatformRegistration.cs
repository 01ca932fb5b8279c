using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VptSp.Core.Training;
using VptSp.Runs.Data;
using VptSp.Runs.Options;
using VptSp.Runs.DataRoots;
using VptSp.Runs.Checkpoints;
using VptSp.Runs.Paths;

namespace VptSp.Runs;

public static class RunPlatformRegistration
{
    /// <summary>The least time the host waits for the worker on shutdown (the default is 30 s).</summary>
    public static readonly TimeSpan MinShutdownTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Storage options, the experiment history (SQLite or PostgreSQL), the run queue and its worker, the progress feed
    /// and data roots — for the dashboard (default) or a worker host (<see cref="RunPlatformRole.Worker"/>, VptSp.Worker),
    /// which share this one implementation.
    /// </summary>
    public static IHostApplicationBuilder AddRunPlatform(this IHostApplicationBuilder builder, RunPlatformRole? role = null)
    {
        var services = builder.Services;
        services.AddSingleton(role ?? RunPlatformRole.Dashboard);
        services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WorkerIdentity>();
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StorageOptionsSetup>();
        services.AddSingleton<IPostConfigureOptions<StorageOptions>>(sp => sp.GetRequiredService<StorageOptionsSetup>());
        services.AddSingleton<IValidateOptions<StorageOptions>>(sp => sp.GetRequiredService<StorageOptionsSetup>());

        services.AddOptions<TrainingOptions>().BindConfiguration(TrainingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // On SIGTERM / Ctrl+C the worker stops the run after its current step, saves a checkpoint and marks it interrupted:
        // give that (a step, or an evaluation in progress, plus the checkpoint) time before the host gives up.
        services.PostConfigure<HostOptions>(o => o.ShutdownTimeout = o.ShutdownTimeout < MinShutdownTimeout ? MinShutdownTimeout : o.ShutdownTimeout);

        services.AddSingleton<IDbContextFactory<ExperimentDbContext>, ExperimentDatabase>();

        services.AddSingleton(_ => ConfigPresets.Discover());
        services.AddSingleton<IDatasetDetector, CatalogDatasetDetector>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IDataRootService, DataRootService>();
        services.AddSingleton<PathPolicy>();
        services.AddSingleton<CheckpointService>();
        services.AddSingleton<ProgressFeed>();
        services.AddSingleton<IRunEvents>(sp => sp.GetRequiredService<ProgressFeed>());
        services.AddSingleton<TrainingQueue>();
        services.AddSingleton<RunSubmissionValidator>();
        services.AddSingleton<IRunService, RunService>();
        services.AddTrainingEngine();

        // Order matters: the database is migrated and cleaned up before the worker starts.
        services.AddHostedService<DatabaseInitializer>();
        services.AddHostedService<PostgresRunEvents>();
        services.AddHostedService<LostWorkerReclaimer>();
        services.AddHostedService<TrainingWorker>();
        return builder;
    }
}
