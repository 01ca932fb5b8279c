using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using VptSp.Core.Runtime;

namespace VptSp.Core.Modeling;

public sealed partial class MetricModel
{
    /// <summary>Evaluation embeddings: L2-normalised B×E (no dropout, no proxy net, no gradients).</summary>
    public Tensor Embed(Tensor images)
    {
        var wasTraining = training;
        if (wasTraining) eval();
        try
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            using var cast = Autocast.Enter(Options.AutocastType);
            // token pooling reads only the class token: compute only what reaches it (same numbers, less work)
            return MetricEmbedding(images, UsedTokensOnly && Options.GlobalPooling == GlobalPooling.Token).MoveToOuterDisposeScope();
        }
        finally
        {
            if (wasTraining) train();
        }
    }

    /// <summary>
    /// Whether <see cref="Embed"/>, when pooling by token, computes only what the class token reads (default true; the result
    /// equals the full computation's): no outputs for prompt tokens (they give keys and values) and the class token alone in the
    /// last block (<see cref="VisionTransformer.ForwardFeatures"/>). Off only to measure or test the full path.
    /// </summary>
    public bool UsedTokensOnly { get; set; } = true;

    /// <summary>Same as <see cref="Embed"/> (the module call form).</summary>
    public override Tensor forward(Tensor images) => Embed(images);

    /// <summary>
    /// Training forward on a class-grouped batch: <paramref name="labels"/> (int64, B) must be P runs of k equal
    /// ids with P distinct classes. Returns embeddings (normalised, then feature dropout) and the proxies. For vptsp_g this also
    /// gathers the batch's class prompts from the memory bank and commits the new proxy container; call
    /// <see cref="AfterStep"/> after the optimisers have stepped.
    /// </summary>
    public MetricOutput ForwardTrain(Tensor images, Tensor labels)
    {
        using var scope = NewDisposeScope();
        using var cast = Autocast.Enter(Options.AutocastType);
        var (classes, inverse, k) = GroupClasses(labels);
        var emb = nn.functional.dropout(MetricEmbedding(images, usedTokensOnly: false), Options.FeatureDropout, training);
        Tensor all, batch;
        if (!Options.UsesProxyNet)
        {
            all = proxies_bias.alias();
            batch = proxies_bias.index_select(0, classes);
        }
        else
        {
            (all, batch) = SemanticProxies(images, classes, inverse, k);
        }
        return new MetricOutput(emb.MoveToOuterDisposeScope(), all.MoveToOuterDisposeScope(),
            batch.MoveToOuterDisposeScope(), classes.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Call once per step after <c>loss.backward()</c> and the optimisers' <c>step()</c>, inside the step's dispose scope:
    /// applies the memory-bank optimiser to the batch's class-prompt rows with <paramref name="learningRate"/> (the model group's
    /// current learning rate) and releases the batch leaves. A no-op for methods without class prompts.
    /// </summary>
    public void AfterStep(double learningRate)
    {
        if (_pending is null) return;
        _bank!.Apply(_pending, learningRate);
        _pending = null;
    }

    /// <summary>Discards the pending class-prompt batch without updating it (e.g. a skipped step).</summary>
    public void DiscardStep()
    {
        _pending?.Dispose();
        _pending = null;
    }

    /// <summary>The current batch's class-prompt leaves (after <see cref="ForwardTrain"/>, before <see cref="AfterStep"/>).</summary>
    public ClassPromptBatch? PendingClassPrompts => _pending;

    /// <summary>Parameters for the main optimiser (lr, decay): prompts, heads, BitFit biases, adapters, GRU, or the whole backbone for full.</summary>
    public IReadOnlyList<Parameter> ModelParameters() =>
        named_parameters().Where(p => p.parameter.requires_grad && p.name != "proxies_bias").Select(p => p.parameter).ToList();

    /// <summary>Parameters for the proxy optimiser (lr_proxy): the proxy bias (a plain proxy table for the baselines).</summary>
    public IReadOnlyList<Parameter> ProxyParameters() => new[] { proxies_bias };

    /// <summary>Names of the trainable parameters (plus "p_prompts.i" for the memory bank; dense class prompts are parameters named so).</summary>
    public IReadOnlyList<string> TrainableNames() =>
        named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name)
            .Concat(Enumerable.Range(0, _bank?.Rows.Count ?? 0).Select(i => $"p_prompts.{i}")).ToList();

    public ParameterCounts CountParameters()
    {
        long total = 0, trainable = 0;
        foreach (var (_, p) in named_parameters())
        {
            total += p.numel();
            if (p.requires_grad) trainable += p.numel();
        }
        var bank = _bank?.ElementCount ?? 0;
        var backboneCount = backbone.parameters().Sum(p => p.numel());
        return new ParameterCounts(total + bank, trainable + bank, backboneCount);
    }

    // ---- internals ---------------------------------------------------------------------------------------------

    private Tensor MetricEmbedding(Tensor images, bool usedTokensOnly)
    {
        using var scope = NewDisposeScope();
        var tokens = backbone.ForwardFeatures(images, SharedPrompts, usedTokensOnly);
        // the head's product runs in the autocast type; the embedding and everything after it in fp32
        return nn.functional.normalize(Head(Pool(tokens), fc_norm, head), dim: -1).MoveToOuterDisposeScope();
    }

    /// <summary>The metric head on the pooled feature, in fp32; without <c>vit_head</c> the pooled feature itself, as the reference.</summary>
    private static Tensor Head(Tensor pooled, Norm? norm, Dense? linear) =>
        norm is null || linear is null ? pooled : linear.call(norm.call(pooled)).to(ScalarType.Float32);

    private Tensor? SharedPrompts(int block) =>
        prompts is not null && block < prompts.Count ? prompts[block] : null;

    private Tensor Pool(Tensor tokens)
    {
        // avg: the patch tokens (class and register tokens excluded, as timm's global_pool='avg')
        var prefix = Spec.PrefixTokens;
        var pooled = Options.GlobalPooling == GlobalPooling.Avg
            ? tokens.narrow(1, prefix, tokens.shape[1] - prefix).mean(new long[] { 1 })
            : tokens.select(1, 0);
        return pooled.to(ScalarType.Float32);
    }

    private (Tensor All, Tensor Batch) SemanticProxies(Tensor images, Tensor classes, Tensor inverse, long k)
    {
        DiscardStep();
        Func<int, Tensor?> classPrompts;
        if (_bank is not null)
        {
            _pending = _bank.Gather(classes, Device);
            var leaves = _pending.Leaves;
            classPrompts = i => i < leaves.Count ? leaves[i].index_select(0, inverse) : null;
        }
        else
        {
            // dense: each sample's rows of the C×n_i×D parameter, as the reference indexes p_prompts[i][labels]
            var labels = classes.index_select(0, inverse);
            classPrompts = i => i < p_prompts!.Count ? p_prompts[i].index_select(0, labels) : null;
        }
        var tokens = backbone.ForwardFeatures(images, classPrompts);
        var s = nn.functional.normalize(Head(Pool(tokens), p_fc_norm, p_head), dim: -1);   // B×E
        var u = classes.shape[0];
        var grouped = s.view(u, k, -1);
        var container = _container!.Value;
        var h = container.index_select(0, classes);
        if (rnn_update is null)
        {
            using var keep = Options.ProxyMixKeepRatio.ToScalar();
            using var blend = (1 - Options.ProxyMixKeepRatio).ToScalar();
            h = h.mul(keep).Plus(grouped.mean(new long[] { 1 }).mul(blend));
        }
        else
        {
            for (long j = 0; j < k; j++)
                h = rnn_update.call(grouped.select(1, j), h);
        }
        var mixed = nn.functional.normalize(container.index_copy(0, classes, h), dim: -1);
        _container.Commit(mixed);
        using var rho = Options.ProxyBiasRatio.ToScalar();
        using var rest = (1 - Options.ProxyBiasRatio).ToScalar();
        var all = proxies_bias.mul(rho).Plus(mixed.mul(rest));
        var batch = nn.functional.normalize(proxies_bias.index_select(0, classes).mul(rho).Plus(h.mul(rest)), dim: -1);
        return (all, batch);
    }

    /// <summary>Distinct classes in order of appearance, each sample's class position, and samples per class k; checks the batch is class-grouped.</summary>
    private (Tensor Classes, Tensor Inverse, long K) GroupClasses(Tensor labels)
    {
        if (labels.dim() != 1) throw new ArgumentException($"labels must be a vector (got [{string.Join(", ", labels.shape)}])");
        var ids = labels.to(ScalarType.Int64).cpu().data<long>().ToArray();
        var order = new List<long>();
        var inverse = new long[ids.Length];
        var seen = new HashSet<long>();
        for (var i = 0; i < ids.Length; i++)
        {
            if (ids[i] < 0 || ids[i] >= Options.NumClasses)
                throw new ArgumentException($"label {ids[i]} is outside [0, {Options.NumClasses})");
            if (i == 0 || ids[i] != ids[i - 1])
            {
                if (!seen.Add(ids[i]))
                    throw new ArgumentException($"batch is not class-grouped: class {ids[i]} appears in two separate runs");
                order.Add(ids[i]);
            }
            inverse[i] = order.Count - 1;
        }
        if (ids.Length == 0 || ids.Length % order.Count != 0)
            throw new ArgumentException($"batch of {ids.Length} samples does not split into {order.Count} equal class groups");
        var k = ids.Length / order.Count;
        for (var i = 0; i < ids.Length; i++)
            if (inverse[i] != i / k)
                throw new ArgumentException($"batch is not class-grouped with k = {k} samples per class");
        return (tensor(order.ToArray(), device: Device), tensor(inverse, device: Device), k);
    }
}
