using VptSp.Core.Diagnostics;
using VptSp.Core.Runtime;
using VptSp.Runs.Options;
using VptSp.Runs;

namespace VptSp.Worker;

/// <summary>What must hold before a worker claims anything: a shared store, and the GPU it was told to use.</summary>
public static class WorkerChecks
{
    public static void EnsureServable(StorageOptions storage, WorkerIdentity worker)
    {
        if (!storage.IsPostgres)
            throw new UserFacingException(
                "a worker needs the shared PostgreSQL store (Storage:Provider=postgres and Storage:ConnectionString); " +
                "with SQLite the dashboard's in-process worker trains the runs");
        if (worker.HasCuda && !TorchRuntime.CudaAvailable())
            throw new UserFacingException($"--gpu: this machine has no usable CUDA device for {worker.DeviceLabel} (is VptSp built with -p:TorchDevice=cuda?)");
    }
}
