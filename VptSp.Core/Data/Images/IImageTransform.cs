namespace VptSp.Core.Data.Images;

/// <summary>
/// Turns an RGB image into a normalised CHW float block of <see cref="Size"/> × <see cref="Size"/>.
/// Implementations are stateless and thread-safe: all randomness comes from the <see cref="Random"/> passed in.
/// </summary>
public interface IImageTransform
{
    int Size { get; }
    Normalization Normalization { get; }

    /// <summary>Writes 3·Size·Size floats (channel-major) into <paramref name="destination"/>.</summary>
    void Apply(RgbImage image, Random random, Span<float> destination);
}
