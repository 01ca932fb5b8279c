namespace VptSp.Core.Training;

/// <summary>
/// The reference's command-line keys (main.py's parser) that are not <see cref="TrainingConfig"/> keys, each refused by name with
/// the reason when a config sets it. With the config keys (honoured or <see cref="ConfigKeyAttribute.Inert"/>) this gives every
/// reference key a status (ConfigKeyAuditTests).
/// </summary>
public static class ReferenceOnlyKeys
{
    public static IReadOnlyDictionary<string, string> Reasons { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["config"] = "a command-line option here: vptsp train --config",
        ["gpu"] = "a command-line option here: vptsp train --gpu (the web picks the device per worker)",
        ["source_path"] = "a command-line option here: vptsp train --source_path (the web reads its data directory)",
        ["save_path"] = "runs are written under the data directory (vptsp train --output)",
        ["savename"] = "read by nothing in the reference; runs are named by 'name'",
        ["save_results"] = "the reference's per-epoch result files; every run here records its epochs and metrics",
        ["save_step"] = "the reference's per-epoch result files; every run here records its epochs and metrics",
        ["store_improvements"] = "the reference's best-model file; every run here keeps its best epoch's artefacts",
        ["show_trainable_pars"] = "every run logs its trainable groups and parameter counts",
        ["time"] = "every run logs its epoch times",
        ["evaltypes"] = "only the reference's default 'embeds' is evaluated here",
        ["no_test_metrics"] = "read by nothing in the reference",
        ["no_val_metrics"] = "read by nothing in the reference",
        ["data_ssl_set"] = "read by nothing in the reference",
        ["internal_split"] = "the reference's class split of the training set for meta-validation is not implemented",
        ["batch_mining"] = "no batch miner: the proxy losses here (as the reference's dml_proxy_peft) use none",
        ["miner_distance_lower_cutoff"] = "no batch miner: the proxy losses use none",
        ["miner_distance_upper_cutoff"] = "no batch miner: the proxy losses use none",
        ["miner_rho_distance_cp"] = "no batch miner: the proxy losses use none",
        ["miner_rho_distance_lower_cutoff"] = "no batch miner: the proxy losses use none",
        ["miner_rho_distance_upper_cutoff"] = "no batch miner: the proxy losses use none",
        ["miner_semihard_margin"] = "no batch miner: the proxy losses use none",
    };
}
