#!/usr/bin/python3
"""Tiny timm ViTs of each backbone family VptSp supports, with timm's own outputs, for forward-parity tests.

For each family this builds timm's VisionTransformer with the family's structural kwargs at tiny size (width 32,
depth 2, 2 heads), draws seeded random weights, and writes into VptSp.Tests.Support/Fixtures/TimmFamilies/<family>/:
  model.safetensors  the state dict under timm's names (what a Hub model.safetensors holds)
  input.safetensors  `images`: a seeded N(0,1) batch, 2x3xSxS
  expected.json      arch + timm's forward_features (all tokens after the final norm) and pooled (class token) output
The dinov2_resample fixture is a DINOv2 model made at a larger grid (like the 518-px checkpoints) whose state dict is
loaded by timm at a smaller img_size through timm's own checkpoint_filter_fn (resample_abs_pos_embed, bicubic,
antialias), as timm.create_model(..., pretrained=True, img_size=...) does.

Run with Debian's /usr/bin/python3 (python3-torch 1.13) and timm 0.9.16's source on sys.path:
  git -C <timm repo> archive v0.9.16 | (mkdir -p /tmp/timm0916 && tar -x -C /tmp/timm0916)
  /usr/bin/python3 tools/timm-parity/make_family_fixtures.py --timm /tmp/timm0916
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from safetensors_writer import write_safetensors  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "VptSp.Tests.Support", "Fixtures", "TimmFamilies")

TINY = dict(embed_dim=32, depth=2, num_heads=2, mlp_ratio=4.0, num_classes=0, global_pool="token")

# family -> (timm kwargs on top of TINY, img_size of the checkpoint, img_size of the evaluated model)
FAMILIES = {
    # DeiT (non-distilled): a plain timm ViT, patch 16, LayerNorm eps 1e-6, exact GELU
    "deit": (dict(patch_size=16), 32, 32),
    # DINOv2: patch 14, LayerScale (init_values), eps 1e-6
    "dinov2": (dict(patch_size=14, init_values=1e-5), 28, 28),
    # DINOv2 with 4 registers: position embedding on the patches only (no_embed_class), then class + registers
    "dinov2_reg4": (dict(patch_size=14, init_values=1e-5, reg_tokens=4, no_embed_class=True), 28, 28),
    # DINOv2 checkpoint at a 5x5 grid evaluated at 3x3 (as 518 px -> 224 px): pos_embed resampled
    "dinov2_resample": (dict(patch_size=14, init_values=1e-5), 70, 42),
    # the same for registers (no_embed_class: all of pos_embed is the grid)
    "dinov2_reg4_resample": (dict(patch_size=14, init_values=1e-5, reg_tokens=4, no_embed_class=True), 70, 42),
    # CLIP image tower: pre-norm (norm_pre, no patch bias), LayerNorm eps 1e-5, exact GELU (timm's vit_*_clip_224)
    "clip": (dict(patch_size=16, pre_norm=True, eps=1e-5), 32, 32),
    # CLIP with QuickGELU (timm's vit_*_clip_quickgelu_224, the OpenAI weights' own activation)
    "clip_quickgelu": (dict(patch_size=16, pre_norm=True, eps=1e-5, act_layer="quick_gelu"), 32, 32),
}




def build(kwargs, img_size):
    import torch.nn as nn
    from functools import partial
    from timm.models.vision_transformer import VisionTransformer
    kw = dict(TINY, **kwargs)
    eps = kw.pop("eps", 1e-6)
    return VisionTransformer(img_size=img_size, norm_layer=partial(nn.LayerNorm, eps=eps), **kw), eps


def randomise(model, torch):
    """Every parameter redrawn (LayerNorm and LayerScale too) so that no feature is an identity by construction."""
    g = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("gamma"):
                p.copy_(0.5 + torch.rand(p.shape, generator=g))            # LayerScale: far from 1 and from 1e-5
            elif "norm" in name and name.endswith("weight"):
                p.copy_(1 + 0.2 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(0.2 * torch.randn(p.shape, generator=g))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--timm", default="/tmp/timm0916", help="folder holding timm's source (the package dir 'timm' inside)")
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    sys.path.insert(0, args.timm)
    import torch
    import timm
    from timm.models.vision_transformer import checkpoint_filter_fn
    torch.set_num_threads(1)

    for family, (kwargs, ckpt_size, eval_size) in FAMILIES.items():
        torch.manual_seed(0)
        src, eps = build(kwargs, ckpt_size)
        randomise(src, torch)
        state = {k: v.clone() for k, v in src.state_dict().items()}
        model = src
        if eval_size != ckpt_size:
            model, _ = build(kwargs, eval_size)
            model.load_state_dict(checkpoint_filter_fn(state, model))   # timm's pretrained-load path (resamples pos_embed)
        model.eval()
        images = torch.randn(2, 3, eval_size, eval_size, generator=torch.Generator().manual_seed(1))
        with torch.no_grad():
            feats = model.forward_features(images)
            pooled = model.forward_head(feats, pre_logits=True)
        folder = os.path.join(args.out, family)
        os.makedirs(folder, exist_ok=True)
        write_safetensors(os.path.join(folder, "model.safetensors"), state)
        write_safetensors(os.path.join(folder, "input.safetensors"), {"images": images})
        arch = dict(checkpoint_img_size=ckpt_size, img_size=eval_size, patch_size=kwargs["patch_size"],
                    embed_dim=TINY["embed_dim"], depth=TINY["depth"], num_heads=TINY["num_heads"],
                    mlp_ratio=TINY["mlp_ratio"], eps=eps, init_values=kwargs.get("init_values"),
                    reg_tokens=kwargs.get("reg_tokens", 0), no_embed_class=kwargs.get("no_embed_class", False),
                    pre_norm=kwargs.get("pre_norm", False), act_layer=kwargs.get("act_layer", "gelu"))
        expected = dict(timm_version=timm.__version__, torch_version=torch.__version__, arch=arch,
                        state_dict_keys=sorted(state), forward_features=feats.tolist(), pooled=pooled.tolist())
        with open(os.path.join(folder, "expected.json"), "w") as f:
            json.dump(expected, f)
        print(f"{family}: tokens {tuple(feats.shape)}, pos_embed {tuple(state['pos_embed'].shape)}"
              f" -> {tuple(model.pos_embed.shape)}, {sum(os.path.getsize(os.path.join(folder, n)) for n in os.listdir(folder))} bytes")


if __name__ == "__main__":
    main()
