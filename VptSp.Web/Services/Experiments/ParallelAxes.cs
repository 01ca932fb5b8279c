using System.Globalization;

namespace VptSp.Web.Services.Experiments;

/// <summary>One axis of a parallel-coordinates plot: numeric (linear between min and max) or categorical (values in order, evenly spaced).</summary>
public sealed record ParallelAxis(string Name, bool Numeric, double Min, double Max, IReadOnlyList<string> Categories)
{
    /// <summary>Position of a value on the axis in [0, 1] (0.5 when the axis has a single value).</summary>
    public double Position(string value)
    {
        if (Numeric)
        {
            var v = double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
            return Max > Min ? (v - Min) / (Max - Min) : 0.5;
        }
        var i = Categories.ToList().IndexOf(value);
        return Categories.Count <= 1 ? 0.5 : (double)i / (Categories.Count - 1);
    }

    public static ParallelAxis For(string name, IEnumerable<string> values)
    {
        var list = values.Distinct(StringComparer.Ordinal).ToList();
        var numbers = list.Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : (double?)null).ToList();
        if (list.Count > 0 && numbers.All(n => n is not null && double.IsFinite(n.Value)))
            return new ParallelAxis(name, true, numbers.Min()!.Value, numbers.Max()!.Value, list.OrderBy(v => double.Parse(v, CultureInfo.InvariantCulture)).ToList());
        return new ParallelAxis(name, false, 0, 0, list.Order(StringComparer.Ordinal).ToList());
    }
}
