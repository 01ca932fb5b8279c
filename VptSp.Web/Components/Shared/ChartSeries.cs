namespace VptSp.Web.Components.Shared;

/// <summary>One line of a <see cref="LineChart"/>. Append to <see cref="Points"/> and re-render: only new points are sent.</summary>
public sealed class ChartSeries(string name, List<ChartPoint>? points = null)
{
    public string Name { get; } = name;
    public List<ChartPoint> Points { get; } = points ?? [];
}

public readonly record struct ChartPoint(double X, double Y);
