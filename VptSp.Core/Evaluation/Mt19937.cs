namespace VptSp.Core.Evaluation;

/// <summary>
/// The 32-bit Mersenne Twister (C++ <c>std::mt19937</c>) and the three draws faiss's <c>RandomGenerator</c>
/// makes from it, so that k-means seeded like faiss picks the same points.
/// </summary>
internal sealed class Mt19937
{
    private const int N = 624, M = 397;
    private readonly uint[] _state = new uint[N];
    private int _index;

    public Mt19937(uint seed)
    {
        _state[0] = seed;
        for (var i = 1; i < N; i++)
            _state[i] = unchecked(1812433253u * (_state[i - 1] ^ (_state[i - 1] >> 30)) + (uint)i);
        _index = N;
    }

    public uint Next()
    {
        if (_index >= N) Twist();
        var y = _state[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9D2C5680u;
        y ^= (y << 15) & 0xEFC60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary>faiss <c>rand_int(max)</c>: the next draw modulo <paramref name="max"/>.</summary>
    public int NextInt(int max) => (int)(Next() % (uint)max);

    /// <summary>faiss <c>rand_float()</c>: the next draw divided by 2³² − 1, both rounded to float first.</summary>
    public float NextFloat() => (float)Next() / (float)uint.MaxValue;

    private void Twist()
    {
        for (var i = 0; i < N; i++)
        {
            var y = (_state[i] & 0x80000000u) | (_state[(i + 1) % N] & 0x7FFFFFFFu);
            var next = _state[(i + M) % N] ^ (y >> 1);
            if ((y & 1) != 0) next ^= 0x9908B0DFu;
            _state[i] = next;
        }
        _index = 0;
    }
}
