using VptSp.Core.Training;
using System.Globalization;
using System.Text;
using VptSp.Runs;

namespace VptSp.Web.Apis;

/// <summary>The runs table as RFC 4180 CSV (invariant culture, ISO 8601 times).</summary>
public static class RunsCsv
{
    public static readonly string[] Columns =
    [
        "id", "name", "status", "dataset", "method", "backbone", "preset", "total_parameters", "trainable_parameters",
        "trainable_percent", "epochs_completed", "epochs_planned", "best_epoch", "best_recall@1", "best_map@r",
        "created_at", "started_at", "finished_at", "duration_seconds", "tags", "archived", "notes", "error",
    ];

    public static byte[] Write(IEnumerable<RunSummary> runs)
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', Columns).Append("\r\n");
        foreach (var r in runs)
        {
            string?[] cells =
            [
                N(r.Id), r.Name, RunStates.Name(r.Status), r.Dataset, r.Method, r.Backbone, r.Preset, N(r.TotalParameters), N(r.TrainableParameters),
                N(r.TrainablePercent), N(r.EpochsCompleted), N(r.EpochsPlanned), N(r.BestEpoch), N(r.BestRecallAt1), N(r.BestMapAtR),
                T(r.CreatedAt), T(r.StartedAt), T(r.FinishedAt), N(r.Duration?.TotalSeconds), string.Join(';', r.Tags),
                r.Archived ? "true" : "false", r.Notes, r.Error,
            ];
            sb.AppendJoin(',', cells.Select(Escape)).Append("\r\n");
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static string N<T>(T? value) where T : struct, IFormattable => value?.ToString(null, CultureInfo.InvariantCulture) ?? "";
    private static string N<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);
    private static string T(DateTimeOffset? t) => t?.ToString("O", CultureInfo.InvariantCulture) ?? "";

    internal static string Escape(string? cell)
    {
        if (string.IsNullOrEmpty(cell)) return "";
        // Cells starting with a formula character are prefixed so spreadsheets do not evaluate them.
        if (cell[0] is '=' or '+' or '-' or '@' && !double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) cell = "'" + cell;
        return cell.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;
    }
}
