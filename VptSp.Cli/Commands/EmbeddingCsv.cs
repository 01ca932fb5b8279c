using System.Globalization;

namespace VptSp.Cli.Commands;

/// <summary>Reads embedding CSV files: one row per sample, <c>label,e0,e1,…</c>; an optional first line starting with "label" is a header.</summary>
public static class EmbeddingCsv
{
    public static (int[] Labels, float[][] Rows) Read(string path)
    {
        if (!File.Exists(path)) throw new CliException($"{path}: file not found");
        var labels = new List<int>();
        var rows = new List<float[]>();
        var lineNo = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            if (lineNo == 1 && line.StartsWith("label", StringComparison.OrdinalIgnoreCase)) continue;
            var fields = line.Split(',');
            if (fields.Length < 2)
                throw new CliException($"{path} line {lineNo}: expected label,e0,e1,… but found {fields.Length} field(s)");
            if (!int.TryParse(fields[0].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var label))
                throw new CliException($"{path} line {lineNo}: label '{fields[0].Trim()}' is not an integer");
            var values = new float[fields.Length - 1];
            for (var j = 1; j < fields.Length; j++)
            {
                if (!float.TryParse(fields[j].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out values[j - 1])
                    || !float.IsFinite(values[j - 1]))
                    throw new CliException($"{path} line {lineNo}: value {j} '{fields[j].Trim()}' is not a finite number");
            }
            if (rows.Count > 0 && values.Length != rows[0].Length)
                throw new CliException($"{path} line {lineNo}: {values.Length} values but earlier rows have {rows[0].Length}");
            labels.Add(label);
            rows.Add(values);
        }
        if (rows.Count == 0) throw new CliException($"{path}: no embeddings");
        return (labels.ToArray(), rows.ToArray());
    }
}
