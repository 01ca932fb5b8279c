using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VptSp.Core.Diagnostics;
using VptSp.Runs.Options;
using VptSp.Runs;

namespace VptSp.Worker;

/// <summary>A VptSp worker: the same run platform as the dashboard's in-process worker, on a shared PostgreSQL queue.</summary>
public static class WorkerProgram
{
    public static async Task<int> Main(string[] args)
    {
        try
        {
            var line = WorkerCommandLine.Parse(args);
            if (line.Help)
            {
                Console.WriteLine(WorkerCommandLine.Usage);
                return 0;
            }
            var builder = Host.CreateApplicationBuilder([.. line.Rest]);
            builder.Configuration.AddInMemoryCollection(line.Settings);
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
            builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
            builder.AddRunPlatform(RunPlatformRole.Worker);
            using var host = builder.Build();
            WorkerChecks.EnsureServable(host.Services.GetRequiredService<IOptions<StorageOptions>>().Value,
                host.Services.GetRequiredService<WorkerIdentity>());
            await host.RunAsync();
            return 0;
        }
        catch (Exception ex) when (ex is ArgumentException or OptionsValidationException or UserFacingException or InvalidOperationException or Npgsql.NpgsqlException)
        {
            Console.Error.WriteLine("vptsp-worker: " + UserErrors.OneLine(ex));
            return ex is ArgumentException ? 2 : 1;
        }
    }
}
