using VptSp.Core.Training;
using VptSp.Runs;

namespace VptSp.Runs.Data.Entities;

/// <summary>One training run: its config, status, timings, results and reproducibility record.</summary>
public sealed class RunEntity
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    /// <summary>Stored as its lower-case name ("queued", "running", …) through a value converter (<see cref="ExperimentDbContext"/>).</summary>
    public RunState Status { get; set; } = RunState.Queued;
    /// <summary>The resolved config as JSON (snake_case keys).</summary>
    public string ConfigJson { get; set; } = "{}";
    /// <summary>The preset the run came from, or "(yaml)" for YAML text.</summary>
    public string Preset { get; set; } = "";
    public string Dataset { get; set; } = "";
    public string Method { get; set; } = "";
    public string Backbone { get; set; } = "";
    public long TotalParameters { get; set; }
    public long TrainableParameters { get; set; }
    public int EpochsPlanned { get; set; }
    public int EpochsCompleted { get; set; }
    public int? BestEpoch { get; set; }
    public double? BestRecallAt1 { get; set; }
    public double? BestMapAtR { get; set; }
    /// <summary>The best epoch's metrics JSON (a copy of its epoch row's), so result views need no epoch rows.</summary>
    public string? BestMetricsJson { get; set; }
    /// <summary>The last stored epoch's mean loss.</summary>
    public double? LastLoss { get; set; }
    /// <summary>The last stored epoch's Recall@1, if it was evaluated.</summary>
    public double? LastRecallAt1 { get; set; }
    /// <summary>Step rows stored for the run (after thinning).</summary>
    public int StepsRecorded { get; set; }
    /// <summary>Mean images/s over the stored step rows that measured it (null when none did).</summary>
    public double? MeanImagesPerSecond { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? Error { get; set; }
    /// <summary>Tags as a JSON array of strings.</summary>
    public string TagsJson { get; set; } = "[]";
    public string? Notes { get; set; }
    public bool Archived { get; set; }
    /// <summary>Place in the queue (ascending); assigned on submit and on resume.</summary>
    public long QueueOrder { get; set; }
    /// <summary>Set by resume: the worker continues from the run's last checkpoint.</summary>
    public bool ResumeRequested { get; set; }
    public string RunDirectory { get; set; } = "";
    public string? SourcePath { get; set; }

    /// <summary>The sweep that queued this run, if any.</summary>
    public long? SweepId { get; set; }
    /// <summary>The run's combination of swept values without the seed (e.g. "lr=0.01, num_prompt=5"): runs that differ only by seed share it.</summary>
    public string? GroupKey { get; set; }
    /// <summary>The device the run asked for: "auto" (the claiming worker's), "cpu" (any worker, trained on its CPU) or "cuda" (only a worker with a GPU).</summary>
    public string RequestedDevice { get; set; } = RunDevices.Auto;
    /// <summary>Re-queue the run when its worker is lost (lease expired), to resume from its last checkpoint on another worker.</summary>
    public bool AutoResume { get; set; }
    /// <summary>How many times a worker has claimed the run (1 on its first execution); bounds automatic re-queues.</summary>
    public int Executions { get; set; }
    /// <summary>The worker executing (or last executing) the run: "host:pid" (or the name it was given).</summary>
    public string? WorkerName { get; set; }
    /// <summary>The device that worker trains on ("cpu", "cuda:0", …).</summary>
    public string? WorkerDevice { get; set; }
    /// <summary>While running: the worker's lease ends at this Unix time (ms) unless renewed; past it the run is reclaimed.</summary>
    public long? LeaseExpiresAtMs { get; set; }
    /// <summary>Cancel asked from a dashboard; the executing worker sees it at its next heartbeat.</summary>
    public bool CancelRequested { get; set; }

    /// <summary>Peak working set of the server process while the run executed, bytes (includes the web app itself).</summary>
    public long? PeakMemoryBytes { get; set; }

    // Reproducibility record (filled when the engine reports OnStarted).
    public string? VptSpVersion { get; set; }
    public string? GitCommit { get; set; }
    public string? TorchSharpVersion { get; set; }
    public string? Device { get; set; }
    public int? Seed { get; set; }
    public string? DatasetFingerprint { get; set; }
    public string? BackboneCheckpointSha256 { get; set; }

    public List<StepSampleEntity> Steps { get; set; } = [];
    public List<EpochMetricEntity> Epochs { get; set; } = [];
    public List<ArtefactEntity> Artefacts { get; set; } = [];
}
