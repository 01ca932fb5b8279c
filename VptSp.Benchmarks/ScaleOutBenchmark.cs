using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Npgsql;
using VptSp.Core.Training;

using VptSp.Tests.Support;

namespace VptSp.Benchmarks;

/// <summary>
/// Database load of scale-out (issue 15): the dashboard (no in-process worker) and N real VptSp.Worker processes on one
/// PostgreSQL database train 2·N tiny runs; PostgreSQL's own counters (pg_stat_database) give rows written per second,
/// commits per second and rows per training step over the training period. Needs a server where it may create a
/// database: VPTSP_BENCH_PG (e.g. `bash scripts/postgres-dev.sh start` then VPTSP_BENCH_PG="$(bash scripts/postgres-dev.sh url)").
/// VPTSP_BENCH_WORKERS (default 4), VPTSP_BENCH_EPOCHS (default 3). Build the solution first (it starts the build outputs).
/// </summary>
public sealed class ScaleOutBenchmark : IBenchmark
{
    public string Name => "scale-out";
    public string Description => "PostgreSQL rows/s and commits/s written by N VptSp.Worker processes training tiny runs (needs VPTSP_BENCH_PG)";

    public void Run(TextWriter output) => RunAsync(output).GetAwaiter().GetResult();

    private static async Task RunAsync(TextWriter output)
    {
        var admin = Environment.GetEnvironmentVariable("VPTSP_BENCH_PG");
        if (string.IsNullOrWhiteSpace(admin))
        {
            output.WriteLine("skipped: set VPTSP_BENCH_PG to a PostgreSQL connection string (bash scripts/postgres-dev.sh start; bash scripts/postgres-dev.sh url)");
            return;
        }
        var workers = EnvInt("VPTSP_BENCH_WORKERS", 4);
        var epochs = EnvInt("VPTSP_BENCH_EPOCHS", 3);
        var database = $"vptsp_bench_{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}";
        await ExecAsync(admin, $"CREATE DATABASE {database}");
        var cs = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
        var root = Directory.CreateTempSubdirectory("vptsp-scale-bench-").FullName;
        var processes = new List<Process>();
        try
        {
            var dataset = Path.Combine(root, "dataset");
            SyntheticDataset.Write(dataset, classes: 8, imagesPerClass: 40, size: 32);
            var env = new Dictionary<string, string>
            {
                ["Storage__Provider"] = "postgres", ["Storage__ConnectionString"] = cs,
                ["Storage__DataDirectory"] = Path.Combine(root, "data"), ["Workers__InProcess"] = "false",
            };
            var port = FreePort();
            processes.Add(Start("VptSp.Web", env, "--urls", $"http://127.0.0.1:{port}"));
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await UntilAsync(async () => (await TryGetAsync(http, "/api/runs")) == HttpStatusCode.OK, TimeSpan.FromSeconds(90), "the dashboard to answer");
            for (var i = 0; i < workers; i++) processes.Add(Start("VptSp.Worker", env, "--name", $"bench-{i}"));

            var yaml = SoakBenchmark.SoakConfig(epochs).ToYaml();
            var ids = new List<long>();
            for (var i = 0; i < 2 * workers; i++)
            {
                var response = await http.PostAsJsonAsync("/api/runs", new { config = yaml, sourcePath = dataset, name = $"bench {i}" });
                response.EnsureSuccessStatusCode();
                ids.Add((await response.Content.ReadFromJsonAsync<Submitted>())!.Id);
            }
            await UntilAsync(async () => await CountAsync(cs, "SELECT count(*) FROM \"Runs\" WHERE \"Status\" = 'running'") > 0, TimeSpan.FromMinutes(2), "a worker to claim a run");
            var before = await CountersAsync(cs, database);
            var clock = Stopwatch.StartNew();
            await UntilAsync(async () => await CountAsync(cs, "SELECT count(*) FROM \"Runs\" WHERE \"Status\" IN ('queued', 'running')") == 0,
                TimeSpan.FromMinutes(60), "every run to finish");
            var seconds = clock.Elapsed.TotalSeconds;
            var after = await CountersAsync(cs, database);
            var steps = await CountAsync(cs, "SELECT count(*) FROM \"StepSamples\"");
            var completed = await CountAsync(cs, "SELECT count(*) FROM \"Runs\" WHERE \"Status\" = 'completed'");
            var usedWorkers = await CountAsync(cs, "SELECT count(DISTINCT \"WorkerName\") FROM \"Runs\"");

            var written = after.Written - before.Written;
            output.WriteLine($"{workers} workers on {Environment.ProcessorCount} cores, {ids.Count} runs × {epochs} epochs: {completed} completed on {usedWorkers} workers in {seconds:F0} s");
            output.WriteLine($"  step rows stored      {steps,10:N0}   ({steps / seconds:F1} steps/s over all workers)");
            output.WriteLine($"  rows written          {written,10:N0}   {written / seconds,8:F1} rows/s  (inserted+updated+deleted, pg_stat_database)");
            output.WriteLine($"  commits               {after.Commits - before.Commits,10:N0}   {(after.Commits - before.Commits) / seconds,8:F1} commits/s");
            output.WriteLine($"  rows per stored step  {(steps == 0 ? 0 : (double)written / steps),10:F2}");
            output.WriteLine($"  per worker            {written / seconds / workers,10:F1} rows/s, {(after.Commits - before.Commits) / seconds / workers:F1} commits/s");
        }
        finally
        {
            foreach (var p in processes)
            {
                try { if (!p.HasExited) { p.Kill(entireProcessTree: true); p.WaitForExit(30_000); } } catch (InvalidOperationException) { }
                p.Dispose();
            }
            NpgsqlConnection.ClearAllPools();
            await ExecAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private sealed record Submitted(long Id);

    private sealed record Counters(long Written, long Commits);

    private static async Task<Counters> CountersAsync(string cs, string database)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using (var clear = new NpgsqlCommand("SELECT pg_stat_clear_snapshot()", connection)) await clear.ExecuteNonQueryAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT tup_inserted + tup_updated + tup_deleted, xact_commit FROM pg_stat_database WHERE datname = @d", connection);
        cmd.Parameters.AddWithValue("d", database);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Counters(reader.GetInt64(0), reader.GetInt64(1));
    }

    private static async Task<long> CountAsync(string cs, string sql)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task ExecAsync(string cs, string sql)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    private static Process Start(string project, Dictionary<string, string> env, params string[] args)
    {
        var dll = ProjectDll(project);
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in env) info.Environment[k] = v;
        var p = Process.Start(info) ?? throw new InvalidOperationException($"could not start {project}");
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    /// <summary>&lt;project&gt;/bin/Release/net10.0/&lt;project&gt;.dll under the repository holding this benchmark build.</summary>
    private static string ProjectDll(string project)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "VptSp.sln"))) dir = dir.Parent;
        var dll = Path.Combine(dir?.FullName ?? ".", project, "bin", "Release", "net10.0", project + ".dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"build the solution in Release first: {dll}");
    }

    private static async Task<HttpStatusCode?> TryGetAsync(HttpClient http, string path)
    {
        try { return (await http.GetAsync(path)).StatusCode; }
        catch (HttpRequestException) { return null; }
    }

    private static async Task UntilAsync(Func<Task<bool>> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(250);
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static int EnvInt(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var v) && v > 0 ? v : fallback;
}
