#!/usr/bin/env python3
"""Trajectory-parity fixtures: N training steps of the authors' own model, loss and optimisers on a tiny ViT.

Run by hand, never by CI (see README.md in this folder for the full recipe):

    /usr/bin/python3 tools/reference-parity/make_trajectory_fixtures.py \
        --reference /tmp/refdml --timm /tmp/timm --out VptSp.Tests.Support/Fixtures/ReferenceParity

--reference: a checkout of github:Noahsark/ParameterEfficient-DML at c7c9416 (nothing of it is copied here);
--timm: a checkout of github:huggingface/pytorch-image-models at v0.9.16 (put on sys.path).

For every case this builds the reference's `architectures.peft_vit.Network` over a tiny timm VisionTransformer
(32 px, patch 8, width 32, depth 2, 2 heads, random init under a fixed seed; the pretrained download is replaced by
that model and `.cuda()` by a no-op, nothing else of the reference is changed), its `criteria.dml_proxy_peft`
criterion, and its two optimisers exactly as main.py creates them, then runs N steps of main.py's training-loop body
in fp32 on CPU (no autocast; GradScaler is disabled without CUDA there too) over fixed class-grouped batches.
It writes per case: init.safetensors (every tensor VptSp needs, VptSp's names), final.safetensors (the same tensors
after N steps), losses.json (per-step loss), case.json (the config as VptSp YAML keys) and a README.md.
"""
import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from safetensors_writer import write_safetensors  # noqa: E402
import types

STEPS = 20
CLASSES = 6
CLASSES_PER_BATCH = 3
SAMPLES_PER_CLASS = 2
IMAGE = 32
REFERENCE_COMMIT = "c7c9416"

# Config keys are the reference's (and VptSp's) YAML keys. Common to every case:
COMMON = dict(
    dataset="cub200", pretrained_model="vit_test_patch8_32", embed_dim=16, batch_size=CLASSES_PER_BATCH * SAMPLES_PER_CLASS,
    samples_per_class=SAMPLES_PER_CLASS, vit_head=True, feature_dropout=0.0, rnn_dropout=0.0, semantic_mix_type="gru_relu",
    prompt_block_step=0, prompt_p_block_step=0, scheduler="cosine", lr_cosine_length=10, loss="dml_proxy_peft",
)
CASES = {
    # CUB-like: dense class prompts (prompt_memory_bank off) + SGD momentum, all proxies, BitFit
    "vptspg_dense_sgd_both_all": dict(optim="sgd", lr=0.005, lr_proxy=0.1, decay=0.01, proxy_bias_ratio=0.5,
        vit_prompt=True, vit_proxy_net=True, proxy_mix_bias=True, vit_bitfit=True, num_prompt=3, prompt_depth=2,
        num_p_prompt=2, p_prompt_depth=2, proxy_data_range="both_all", prompt_memory_bank=False),
    # SOP-like: memory bank + AdamW, batch proxies, BitFit
    "vptspg_bank_adamw_in_batch": dict(optim="adamw", lr=0.002, lr_proxy=0.05, decay=0.01, proxy_bias_ratio=0.2,
        vit_prompt=True, vit_proxy_net=True, proxy_mix_bias=True, vit_bitfit=True, num_prompt=3, prompt_depth=2,
        num_p_prompt=2, p_prompt_depth=2, proxy_data_range="in_batch", prompt_memory_bank=True),
    # dense class prompts + AdamW, batch proxies, BitFit off
    "vptspg_dense_adamw_in_batch_no_bitfit": dict(optim="adamw", lr=0.002, lr_proxy=0.05, decay=0.01, proxy_bias_ratio=0.2,
        vit_prompt=True, vit_proxy_net=True, proxy_mix_bias=True, vit_bitfit=False, num_prompt=3, prompt_depth=2,
        num_p_prompt=2, p_prompt_depth=2, proxy_data_range="in_batch", prompt_memory_bank=False),
    # memory bank + SGD momentum, all proxies, BitFit off
    "vptspg_bank_sgd_both_all_no_bitfit": dict(optim="sgd", lr=0.005, lr_proxy=0.1, decay=0.01, proxy_bias_ratio=0.5,
        vit_prompt=True, vit_proxy_net=True, proxy_mix_bias=True, vit_bitfit=False, num_prompt=3, prompt_depth=2,
        num_p_prompt=2, p_prompt_depth=2, proxy_data_range="both_all", prompt_memory_bank=True),
    # block steps: block i sees num_prompt - i*step shared and num_p_prompt - i*step class prompts (dense, SGD)
    "vptspg_dense_sgd_block_steps": dict(optim="sgd", lr=0.005, lr_proxy=0.1, decay=0.01, proxy_bias_ratio=0.5,
        vit_prompt=True, vit_proxy_net=True, proxy_mix_bias=True, vit_bitfit=True, num_prompt=3, prompt_depth=2,
        num_p_prompt=2, p_prompt_depth=2, proxy_data_range="both_all", prompt_memory_bank=False,
        prompt_block_step=1, prompt_p_block_step=1),
    # plain VPT: shared prompts + head, proxies = the proxy bias table
    "vpt_adamw_both_all": dict(optim="adamw", lr=0.002, lr_proxy=0.05, decay=0.01,
        vit_prompt=True, num_prompt=3, prompt_depth=2, proxy_data_range="both_all"),
    # prompts + BitFit without the proxy net: both groups train (issue 24)
    "vpt_bitfit_sgd_no_proxy_net": dict(optim="sgd", lr=0.005, lr_proxy=0.1, decay=0.01,
        vit_prompt=True, vit_bitfit=True, num_prompt=3, prompt_depth=2, proxy_data_range="both_all"),
    # vit_head false: no head, no fc_norm; the embedding is the pooled, normed feature (embed_dim = width)
    "bitfit_no_head_adamw": dict(optim="adamw", lr=0.002, lr_proxy=0.05, decay=0.01, embed_dim=32, vit_head=False,
        vit_bitfit=True, proxy_data_range="in_batch"),
    # the adapter as the authors ran it: their AdaptBlock (12 heads, no qkv bias, eps 1e-5) on a width-48 ViT with 2 heads
    "adapter_reference_w48_sgd": dict(optim="sgd", lr=0.005, lr_proxy=0.1, decay=0.01, pretrained_model="vit_test_w48_patch8_32",
        adapter=True, adapter_num_blocks=1, adapter_bottleneck_dim=8, adapter_option="parallel", adapter_ln_position="post",
        adapter_init_option="bert", adapter_scalar=1.0, proxy_data_range="both_all"),
    # block steps that leave block 1 with no shared and no class prompts (as cub200_basic: 5 class prompts, step 5)
    "vptspg_dense_sgd_empty_blocks": dict(optim="sgd", lr=0.005, lr_proxy=0.1, decay=0.01, proxy_bias_ratio=0.5,
        vit_prompt=True, vit_proxy_net=True, proxy_mix_bias=True, vit_bitfit=True, num_prompt=2, prompt_depth=2,
        num_p_prompt=2, p_prompt_depth=2, proxy_data_range="both_all", prompt_memory_bank=False,
        prompt_block_step=2, prompt_p_block_step=2),
    # schedulers stepped per epoch as main.py does (5 steps an epoch): StepLR on the model optimiser, cosine on the proxy bias
    "vptspg_bank_sgd_step_epochs": dict(optim="sgd", lr=0.005, lr_proxy=0.1, decay=0.01, proxy_bias_ratio=0.5,
        vit_prompt=True, vit_proxy_net=True, proxy_mix_bias=True, vit_bitfit=True, num_prompt=3, prompt_depth=2,
        num_p_prompt=2, p_prompt_depth=2, proxy_data_range="both_all", prompt_memory_bank=True,
        scheduler="step", lr_reduce_step=1, lr_reduce_rate=0.5, lr_cosine_length=3, steps_per_epoch=5),
}

# tiny timm ViTs by VptSp preset name: width (the patch, size, depth and 2 heads are common)
WIDTHS = {"vit_test_patch8_32": 32, "vit_test_w48_patch8_32": 48}




def batches(torch):
    """STEPS class-grouped batches: images N(0, 1), labels CLASSES_PER_BATCH distinct classes x SAMPLES_PER_CLASS."""
    g = torch.Generator().manual_seed(1234)
    images = torch.randn(STEPS, CLASSES_PER_BATCH * SAMPLES_PER_CLASS, 3, IMAGE, IMAGE, generator=g)
    labels = torch.stack([torch.randperm(CLASSES, generator=g)[:CLASSES_PER_BATCH].repeat_interleave(SAMPLES_PER_CLASS)
                          for _ in range(STEPS)])
    return images, labels


def tiny_vit(timm, name):
    from timm.models.vision_transformer import VisionTransformer
    m = VisionTransformer(img_size=IMAGE, patch_size=8, embed_dim=WIDTHS[name], depth=2, num_heads=2, mlp_ratio=4.0,
                          num_classes=0, global_pool="token", class_token=True)
    m.pretrained_cfg = {"input_size": (3, IMAGE, IMAGE), "mean": (0.485, 0.456, 0.406), "std": (0.229, 0.224, 0.225)}
    m.default_cfg = m.pretrained_cfg   # what timm.create_model attaches
    return m


def reference_opt(params, case):
    parser = argparse.ArgumentParser()
    for add in (params.basic_training_parameters, params.scale_optimizing_parameters, params.batch_creation_parameters,
                params.batchmining_specific_parameters, params.loss_specific_parameters):
        parser = add(parser)
    opt = parser.parse_args([])
    for k, v in {**COMMON, **case}.items():
        if k != "steps_per_epoch":
            setattr(opt, k, v)
    import torch
    opt.device = torch.device("cpu")
    opt.n_classes = CLASSES
    return opt


def create_scheduler(torch, opt, optimizer):
    """main.py's create_scheduler (copied: importing main.py would load its datasets and metrics)."""
    s = torch.optim.lr_scheduler
    if opt.scheduler == "multi":
        return s.MultiStepLR(optimizer, milestones=opt.lr_reduce_multi_steps, gamma=opt.lr_reduce_rate)
    if opt.scheduler == "step":
        return s.StepLR(optimizer, step_size=opt.lr_reduce_step, gamma=opt.lr_reduce_rate)
    if opt.scheduler == "linear":
        return s.LinearLR(optimizer, start_factor=opt.lr_linear_start, end_factor=opt.lr_linear_end,
                          total_iters=opt.lr_linear_length)
    return s.CosineAnnealingLR(optimizer, T_max=opt.lr_cosine_length, eta_min=opt.lr_cosine_min)


def vptsp_names(model):
    """The reference model's tensors under VptSp's names (backbone under 'backbone.', no p_prompts_buffer / unused W_ia)."""
    out = {}
    for k, v in model.state_dict().items():
        if k.startswith("p_prompts_buffer.") or k == "rnn_update.W_ia":
            continue
        out[("backbone." + k[len("model."):]) if k.startswith("model.") else k] = v.detach().clone()
    if model.pars.vit_proxy_net:
        out["proxies_container"] = model.proxies_container.detach().clone()
    return out


def run_case(name, case, torch, peft_vit, criterion_lib, params, images, labels, out_dir, command):
    torch.manual_seed(7)
    opt = reference_opt(params, case)
    model = peft_vit.Network(opt)
    criterion = criterion_lib.Criterion(opt)
    init = vptsp_names(model)
    # main.py: to_optim = model.optim_dict_list (the criterion adds nothing), then create_optimizer for both lists
    def create_optimizer(to_optim):
        if opt.optim == "adam":
            return torch.optim.Adam(to_optim)
        if opt.optim == "adamw":
            return torch.optim.AdamW(to_optim)
        return torch.optim.SGD(to_optim, momentum=opt.sdg_momentum)
    if opt.prompt_memory_bank:
        model.p_prompts.to("cpu")
    model.optimizer = create_optimizer(model.optim_dict_list)
    model.p_optimizer = create_optimizer(model.p_optim_dict_list)
    scheduler = create_scheduler(torch, opt, model.optimizer)
    p_scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(model.p_optimizer, T_max=opt.lr_cosine_length,
                                                             eta_min=opt.lr_cosine_min)
    steps_per_epoch = case.get("steps_per_epoch", STEPS)
    model.train()
    losses = []
    for step in range(STEPS):
        x, y = images[step], labels[step]
        model.optimizer.zero_grad(set_to_none=True)
        model.p_optimizer.zero_grad(set_to_none=True)
        out = model(x=x, labels=y, anchor=None)
        loss = criterion(batch=out["embeds"], labels=y, proxies=out["proxies"])
        losses.append(loss.item())
        loss.backward()
        model.optimizer.step()
        model.p_optimizer.step()
        if opt.prompt_memory_bank:
            model.bank_optim_states_save()
            model.bank_prompt_p_save()
        if (step + 1) % steps_per_epoch == 0:   # main.py's end of an epoch
            scheduler.step()
            p_scheduler.step()
    final = vptsp_names(model)
    case_dir = os.path.join(out_dir, name)
    os.makedirs(case_dir, exist_ok=True)
    write_safetensors(os.path.join(case_dir, "init.safetensors"), init)
    write_safetensors(os.path.join(case_dir, "final.safetensors"), final)
    with open(os.path.join(case_dir, "losses.json"), "w") as f:
        json.dump(losses, f, indent=1)
    config = {**COMMON, **case}
    with open(os.path.join(case_dir, "case.json"), "w") as f:
        json.dump({"steps": STEPS, "classes": CLASSES, "steps_per_epoch": steps_per_epoch,
                   "config": {k: v for k, v in config.items() if k != "steps_per_epoch"}}, f, indent=1)
    trainable = sorted(k for k, v in model.named_parameters() if v.requires_grad and not k.startswith("p_prompts_buffer."))
    with open(os.path.join(case_dir, "README.md"), "w") as f:
        f.write(f"# Reference-parity fixture `{name}`\n\n"
                f"Made by `tools/reference-parity/make_trajectory_fixtures.py` from the authors' code "
                f"(github:Noahsark/ParameterEfficient-DML at {REFERENCE_COMMIT}) with timm {timm_version()} and "
                f"Debian's torch {torch.__version__}, on CPU in fp32. Command (from the repository root):\n\n"
                f"    {command}\n\n"
                f"Config (the reference's YAML keys; VptSp reads the same): `{json.dumps(config)}`.\n\n"
                f"{STEPS} steps over `../batches.safetensors`; first loss {losses[0]:.6f}, last {losses[-1]:.6f}.\n"
                f"Files: `init.safetensors` (initial tensors, VptSp names: `backbone.*` is the timm ViT), "
                f"`final.safetensors` (after {STEPS} steps), `losses.json` (loss per step), `case.json`.\n"
                f"Trainable in the reference: {', '.join(trainable)}"
                + (" and the memory-bank rows p_prompts.* (moved by the bank)" if opt.prompt_memory_bank else "") + ".\n")
    print(f"{name}: loss {losses[0]:.6f} -> {losses[-1]:.6f}")


_TIMM_VERSION = None


def timm_version():
    return _TIMM_VERSION


def main():
    global _TIMM_VERSION
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reference", required=True, help="checkout of Noahsark/ParameterEfficient-DML at c7c9416")
    ap.add_argument("--timm", required=True, help="checkout of huggingface/pytorch-image-models at v0.9.16")
    ap.add_argument("--out", required=True, help="fixture folder, e.g. VptSp.Tests.Support/Fixtures/ReferenceParity")
    ap.add_argument("--cases", default="", help="comma-separated case names to (re)make; default all")
    args = ap.parse_args()
    command = "/usr/bin/python3 tools/reference-parity/make_trajectory_fixtures.py --reference {} --timm {} --out {}".format(
        args.reference, args.timm, args.out) + (" --cases " + args.cases if args.cases else "")
    sys.path.insert(0, os.path.abspath(args.timm))
    sys.path.insert(0, os.path.abspath(args.reference))
    import torch
    import timm
    _TIMM_VERSION = timm.__version__
    torch.nn.Module.cuda = lambda self, *a, **k: self          # CPU only: the reference calls .cuda() on the backbone
    torch.set_num_threads(1)
    import params
    import architectures.peft_vit as peft_vit
    import criteria.dml_proxy_peft as criterion_lib
    peft_vit.timm = types.SimpleNamespace(create_model=lambda name, pretrained=False, **kw: tiny_vit(timm, name))
    os.makedirs(args.out, exist_ok=True)
    images, labels = batches(torch)
    write_safetensors(os.path.join(args.out, "batches.safetensors"), {"images": images, "labels": labels})
    only = set(args.cases.split(",")) if args.cases else None
    for name, case in CASES.items():
        if only is not None and name not in only:
            continue
        run_case(name, case, torch, peft_vit, criterion_lib, params, images, labels, args.out, command)


if __name__ == "__main__":
    main()
