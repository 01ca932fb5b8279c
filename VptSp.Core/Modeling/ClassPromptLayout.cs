using static TorchSharp.torch;

namespace VptSp.Core.Modeling;

/// <summary>Shape and initial values of the class prompts, shared by the memory bank and the dense parameters.</summary>
internal static class ClassPromptLayout
{
    /// <summary>Prompts block i sees, max(num_p_prompt − i·step, 0), listing only blocks with at least one.</summary>
    public static int[] PromptsPerBlock(int numPrompts, int depth, int blockStep) =>
        Enumerable.Range(0, depth).Select(i => Math.Max(numPrompts - i * blockStep, 0)).TakeWhile(n => n > 0).ToArray();

    /// <summary>C×n_i×D per block, xavier-normal over the logical C×num_p_prompt×D tensor (fan_in = num_p_prompt·D, fan_out = C·D).</summary>
    public static Tensor[] InitialRows(int numClasses, int numPrompts, int dim, IReadOnlyList<int> promptsPerBlock)
    {
        var std = Math.Sqrt(2.0 / ((double)numPrompts * dim + (double)numClasses * dim));
        return promptsPerBlock.Select(n =>
        {
            var t = empty(new long[] { numClasses, n, dim });
            Init.Normal(t, 0, std);
            return t;
        }).ToArray();
    }
}
