using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using VptSp.Core.Runtime;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace VptSp.Core.Training;

/// <summary>
/// Reads and writes <see cref="TrainingConfig"/>: the reference's YAML (every key as <c>{desc, value}</c>),
/// plain YAML, JSON, and <c>key=value</c> overrides. Unknown keys, wrong types and impossible
/// combinations throw <see cref="ConfigException"/> naming the key.
/// </summary>
public static class TrainingConfigYaml
{
    public static TrainingConfig Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"config file not found: {path}", path);
        return Parse(File.ReadAllText(path), Path.GetFileName(path));
    }

    public static TrainingConfig Parse(string yaml, string source = "config")
    {
        Dictionary<string, object?> values;
        try
        {
            values = ReadTopLevel(yaml, source);
        }
        catch (YamlException ex)
        {
            throw new FormatException($"{source}: invalid YAML at line {ex.Start.Line}: {ex.InnerException?.Message ?? ex.Message}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this for some malformed input (e.g. an unclosed flow list).
            throw new FormatException($"{source}: invalid YAML (unterminated list or mapping?)");
        }
        return FromValues(values);
    }

    /// <summary>
    /// Reads the top-level mapping event by event. A repeated key keeps its last value, as PyYAML does
    /// (three of the reference's configs repeat <c>prompt_memory_bank</c>).
    /// </summary>
    private static Dictionary<string, object?> ReadTopLevel(string yaml, string source)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var parser = new Parser(new StringReader(yaml));
        parser.Consume<StreamStart>();
        if (parser.Accept<StreamEnd>(out _)) return values;
        parser.Consume<DocumentStart>();
        if (parser.TryConsume<Scalar>(out var emptyDoc) && string.IsNullOrEmpty(emptyDoc.Value)) return values;
        if (!parser.TryConsume<MappingStart>(out _))
            throw new FormatException($"{source}: expected a mapping of keys to values at the top level");
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var key = parser.Consume<Scalar>().Value;
            if (parser.TryConsume<MappingStart>(out _))
            {
                // The reference's wandb form: key: {desc: ..., value: ...}
                object? value = null;
                var hasValue = false;
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var inner = parser.Consume<Scalar>().Value;
                    var v = ReadValue(parser, key);
                    if (inner == "value") { value = v; hasValue = true; }
                }
                if (!hasValue) throw new ConfigException(key, "a mapping value needs a 'value' entry ({desc, value} form)");
                values[key] = value;
            }
            else
            {
                values[key] = ReadValue(parser, key);
            }
        }
        return values;
    }

    private static object? ReadValue(IParser parser, string key)
    {
        if (parser.TryConsume<Scalar>(out var scalar))
            return IsNull(scalar) ? null : scalar.Value;
        if (parser.TryConsume<SequenceStart>(out _))
        {
            var list = new List<string>();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                if (!parser.TryConsume<Scalar>(out var item))
                    throw new ConfigException(key, "lists may hold only plain values");
                list.Add(item.Value);
            }
            return list;
        }
        throw new ConfigException(key, "expected a value or a list, not a mapping");
    }

    /// <summary>YAML's null: a plain (unquoted) <c>null</c>, <c>~</c> or nothing; a quoted <c>"null"</c> is the string.</summary>
    private static bool IsNull(Scalar scalar) =>
        scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL";

    /// <summary>Builds a config from raw values (strings or lists of strings) over the defaults.</summary>
    public static TrainingConfig FromValues(IReadOnlyDictionary<string, object?> values) =>
        Validate(Apply(new TrainingConfig(), values));

    /// <summary>Applies <c>key=value</c> overrides (e.g. from --set or the REST API) and validates the result.</summary>
    public static TrainingConfig WithOverrides(this TrainingConfig config, IReadOnlyDictionary<string, string> overrides) =>
        Validate(Apply(config, overrides.ToDictionary(kv => kv.Key, kv => (object?)kv.Value)));

    /// <summary>Parses "key=value" strings.</summary>
    public static Dictionary<string, string> ParseAssignments(IEnumerable<string> assignments)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var a in assignments)
        {
            var eq = a.IndexOf('=');
            if (eq <= 0)
                throw new ArgumentException($"override '{a}' is not of the form key=value");
            result[a[..eq].Trim()] = a[(eq + 1)..].Trim();
        }
        return result;
    }

    /// <summary>The config as plain YAML (every key, in declaration order).</summary>
    public static string ToYaml(this TrainingConfig config)
    {
        var sb = new StringBuilder();
        foreach (var key in ConfigKeys.All)
        {
            var value = key.Property.GetValue(config);
            var text = ConfigKeys.Format(value);
            if (value is string s) text = YamlScalar.Write(s);
            sb.Append(key.Name).Append(": ").AppendLine(text);
        }
        return sb.ToString();
    }

    /// <summary>The config as a JSON object of snake_case keys with typed values.</summary>
    public static string ToJson(this TrainingConfig config, bool indented = false)
    {
        var obj = new JsonObject();
        foreach (var key in ConfigKeys.All)
            obj[key.Name] = JsonSerializer.SerializeToNode(key.Property.GetValue(config), key.Type);
        return obj.ToJsonString(new JsonSerializerOptions { WriteIndented = indented });
    }

    public static TrainingConfig FromJson(string json)
    {
        var node = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("config JSON must be an object");
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in node)
        {
            values[k] = v switch
            {
                null => null,
                JsonArray arr => arr.Select(x => x?.ToString() ?? "").ToList(),
                JsonValue val when val.TryGetValue<double>(out var d) => ConfigKeys.Format(d),
                _ => v.ToString(),
            };
        }
        return FromValues(values);
    }

    /// <summary>Keys whose values differ between two configs, in key order (for config diffs).</summary>
    public static IReadOnlyList<(string Key, string Left, string Right)> Diff(TrainingConfig a, TrainingConfig b) =>
        ConfigKeys.All
            .Select(k => (k.Name, l: ConfigKeys.Format(k.Property.GetValue(a)), r: ConfigKeys.Format(k.Property.GetValue(b))))
            .Where(x => x.l != x.r)
            .ToList();

    /// <summary>Throws <see cref="ConfigException"/> for values out of range and impossible combinations.</summary>
    public static TrainingConfig Validate(TrainingConfig c)
    {
        Require(c.NEpochs >= 1, "n_epochs", "must be at least 1");
        Require(c.BatchSize >= 1, "batch_size", "must be at least 1");
        Require(c.SamplesPerClass >= 1, "samples_per_class", "must be at least 1");
        Require(c.BatchSize % c.SamplesPerClass == 0, "batch_size",
            $"{c.BatchSize} is not divisible by samples_per_class = {c.SamplesPerClass}");
        Require(c.Lr > 0, "lr", "must be positive");
        Require(c.LrProxy >= 0, "lr_proxy", "must not be negative");
        Require(c.Decay >= 0, "decay", "must not be negative");
        Require(c.LrCosineLength >= 1, "lr_cosine_length", "must be at least 1");
        Require(c.LrCosineMin >= 0, "lr_cosine_min", "must not be negative");
        Require(c.LrReduceStep >= 1, "lr_reduce_step", "must be at least 1");
        Require(c.LrLinearLength >= 1, "lr_linear_length", "must be at least 1");
        Require(c.EmbedDim >= 1, "embed_dim", "must be at least 1");
        Require(c.Kernels >= 0, "kernels", "must not be negative");
        Require(c.EvalBatchSize >= 1, "eval_batch_size", "must be at least 1");
        Require(c.ImageCacheMb >= 0, "image_cache_mb", "must not be negative");
        Require(c.EvalStart >= 0, "eval_start", "must not be negative");
        Require(c.NumPrompt >= 0, "num_prompt", "must not be negative");
        Require(c.NumPPrompt >= 0, "num_p_prompt", "must not be negative");
        Require(c.PromptDepth >= 0, "prompt_depth", "must not be negative");
        Require(c.PPromptDepth >= 0, "p_prompt_depth", "must not be negative");
        Require(c.PromptBlockStep >= 0, "prompt_block_step", "must not be negative");
        Require(c.PromptPBlockStep >= 0, "prompt_p_block_step", "must not be negative");
        Require(c.AdapterBottleneckDim >= 1, "adapter_bottleneck_dim", "must be at least 1");
        Require(c.AdapterNumBlocks >= 0, "adapter_num_blocks", "must not be negative");
        Require(c.ProxyBiasRatio is >= 0 and <= 1, "proxy_bias_ratio", "must be within [0, 1]");
        Require(c.ProxyMixKeepRatio is >= 0 and <= 1, "proxy_mix_keep_ratio", "must be within [0, 1]");
        Require(c.RnnDropout is >= 0 and < 1, "rnn_dropout", "must be within [0, 1)");
        Require(c.FeatureDropout is >= 0 and < 1, "feature_dropout", "must be within [0, 1)");
        Require(c.SdgMomentum is >= 0 and < 1, "sdg_momentum", "must be within [0, 1)");
        Require(!c.PromptMemoryBank || c.VitProxyNet, "prompt_memory_bank", "needs vit_proxy_net: true (the bank holds the proxy net's class prompts)");
        Require(!c.VitProxyNet || c.ProxyMixBias, "proxy_mix_bias", c.SimpleProxies
            ? "must be true when vit_proxy_net is on: the reference's simple_proxies path (taken only with proxy_mix_bias: false; proxy features from the backbone without class prompts) is not implemented"
            : "must be true when vit_proxy_net is on (semantic proxies mix the proxy bias in, as the reference requires)");
        Require(!c.VitProxyNet || c.NumPPrompt >= 1, "num_p_prompt", "must be at least 1 when vit_proxy_net is on");
        Require(!c.VitProxyNet || c.PPromptDepth >= 1, "p_prompt_depth", "must be at least 1 when vit_proxy_net is on");
        Require(!c.VitPrompt || c.NumPrompt >= 1, "num_prompt", "must be at least 1 when vit_prompt is on");
        Require(c.Loss != LossKind.CrossEntropy || !c.VitProxyNet, "loss", "cross_entropy cannot train the proxy net (vit_proxy_net)");
        Require(c.Dataset != "inshop" || c.TestSplit is "test" or "query", "test_split", "inshop evaluates query against gallery: use test");
        Require(c.ExportBackbone.Length == 0 || c.FullFineTune, "export_backbone", "needs full_fine_tune: true (only a full run trains a whole backbone)");
        Require(c.StorageMetrics.Length > 0, "storage_metrics", "needs at least one metric");
        Require(c.Augmentation is AugmentationKind.Base or AugmentationKind.None, "augmentation", UnsupportedAugmentation(c.Augmentation));
        CheckBounds(c); // after the specific ranges above, whose messages say more
        TrainableGroupTable.Resolve(c); // combinations of the method flags the reference cannot run
        MetricSelection.Options(c); // unknown evaluation_metrics are errors naming the key
        MetricSelection.StorageKey(c);
        return c;
    }

    /// <summary>Every key's <see cref="ConfigKeyAttribute.Max"/> and <see cref="ConfigKeyAttribute.MaxItems"/> (the one table of bounds).</summary>
    private static void CheckBounds(TrainingConfig c)
    {
        foreach (var key in ConfigKeys.All)
        {
            var meta = key.Meta;
            var value = key.Property.GetValue(c);
            if (value is Array list && meta.MaxItems > 0)
                Require(list.Length <= meta.MaxItems, key.Name, $"has {list.Length} items; at most {meta.MaxItems}");
            IEnumerable<double> numbers = value switch
            {
                int i => [(double)i],
                double d => [d],
                int[] a => a.Select(x => (double)x),
                _ => Enumerable.Empty<double>(),
            };
            foreach (var n in numbers)
                Require(!(n > meta.Max), key.Name, $"must be at most {ConfigKeys.Format(meta.Max)} (got {ConfigKeys.Format(n)})");
        }
    }

    private static string UnsupportedAugmentation(AugmentationKind value) => value switch
    {
        AugmentationKind.Big => "'big' is not supported: the reference crops 256 px then, which its 224-px ViT cannot take (use base)",
        AugmentationKind.Adv => "'adv' (the reference's RandomGrayscale + ColorJitter variant) is not implemented (use base)",
        AugmentationKind.V2 => "'v2' (the reference's RandomPerspective + RandomGrayscale + ColorJitter variant) is not implemented (use base)",
        AugmentationKind.Auto => "'auto' (the reference's AutoAugment variant) is not implemented (use base)",
        _ => $"'{value.Name()}' is not one of: base, none",
    };

    private static void Require(bool ok, string key, string message)
    {
        if (!ok) throw new ConfigException(key, message);
    }

    private static TrainingConfig Apply(TrainingConfig config, IReadOnlyDictionary<string, object?> values)
    {
        if (values.Count == 0) return config;
        var copy = config with { }; // a fresh instance; init-only properties are set by reflection below
        foreach (var (name, raw) in values)
        {
            var key = ConfigKeys.Find(name);
            key.Property.SetValue(copy, ConfigKeys.Convert(key, raw));
        }
        return copy;
    }
}
