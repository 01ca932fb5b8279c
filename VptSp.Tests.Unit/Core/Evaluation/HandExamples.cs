namespace VptSp.Tests.Core.Evaluation;

/// <summary>Small embedding sets whose metrics are derived by hand in the tests.</summary>
internal static class HandExamples
{
    private static float[] Angle(double degrees) =>
        [(float)Math.Cos(degrees * Math.PI / 180), (float)Math.Sin(degrees * Math.PI / 180)];

    /// <summary>
    /// Six points on the unit circle (cosine ranks = angular distance):
    ///   i0 0° A, i1 10° A, i2 30° B, i3 35° A, i4 90° B, i5 180° C (a singleton).
    /// i4, i0 and i5 are (0,1), (1,0), (−1,0) exactly, so from i4 the points i0 and i5 tie at similarity 0.
    /// Ranked neighbours (self excluded):
    ///   i0: i1 i2 i3 i4 i5 → A B A B C
    ///   i1: i0 i2 i3 i4 i5 → A B A B C
    ///   i2: i3 i1 i0 i4 i5 → A A A B C
    ///   i3: i2 i1 i0 i4 i5 → B A A B C
    ///   i4: i3 i2 i1 i0 i5 → A B A A C   (tie i0/i5 → lower index first)
    ///   i5: i4 i3 i2 i1 i0 → B A B A A
    /// </summary>
    public static readonly float[][] Circle =
    [
        [1f, 0f], Angle(10), Angle(30), Angle(35), [0f, 1f], [-1f, 0f],
    ];

    public const int A = 0, B = 1, C = 2;
    public static readonly int[] CircleLabels = [A, A, B, A, B, C];
}
