#!/usr/bin/env python3
"""Side-by-side partner of the `model-precision` benchmark (VptSp.Benchmarks): the same VPT training step and inference
batch on a timm-layout ViT, in the user's own PyTorch, so both engines are timed on the same machine in the same run.

Protocol (line based, stdin -> stdout): the benchmark starts this script once, reads the line `ready <torch version>
<threads>`, then sends commands `train fp32|bf16` or `infer fp32|bf16`; each answers with one line `<fwd_ms> <bwd_ms>`
(bwd_ms is 0 for inference). `quit` ends. Options: --batch, --img, --patch, --dim, --depth, --heads, --prompts, --threads,
--device (cpu, or cuda for the GPU check kit's `device-step` benchmark: then `fp16` is a precision too, every time is taken
after torch.cuda.synchronize() and each answer has a third field, the peak CUDA memory allocated in MiB). With --profile MODE-PRECISION
(e.g. infer-bf16) it instead runs that command twice to warm up, then once under torch.profiler, prints the per-op table
(self CPU time, by input shape) and exits: the PyTorch side of the `infer-profile` benchmark's per-module table.

Model: frozen random ViT (pre-norm blocks, fused qkv, exact GELU, LayerNorm eps 1e-6), `prompts` trainable deep prompts
prepended to every block and dropped after it, fc_norm + linear head to a 384-d embedding, 100 trainable proxies, the
benchmark's stand-in proxy loss, AdamW. bf16 is torch.autocast on CPU with the LayerNorms forced to fp32 and the frozen
matrix weights stored in bf16 (the scheme VptSp runs); attention is explicit softmax(q k^T / sqrt(d)) v as timm uses
without a fused kernel (PyTorch 1.13 has none).
"""
import argparse
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Fp32LayerNorm(nn.LayerNorm):
    def forward(self, x):
        with torch.autocast(x.device.type, enabled=False):
            return F.layer_norm(x.float(), self.normalized_shape, self.weight.float(), self.bias.float(), self.eps)


class Block(nn.Module):
    def __init__(self, dim, heads, hidden):
        super().__init__()
        self.heads = heads
        self.norm1 = Fp32LayerNorm(dim, eps=1e-6)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.norm2 = Fp32LayerNorm(dim, eps=1e-6)
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def attention(self, x):
        b, n, c = x.shape
        q, k, v = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4).unbind(0)
        a = (q * (c // self.heads) ** -0.5) @ k.transpose(-2, -1)
        o = a.softmax(dim=-1) @ v
        return self.proj(o.transpose(1, 2).reshape(b, n, c))

    def forward(self, x):
        x = x + self.attention(self.norm1(x))
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))


class PromptedVit(nn.Module):
    def __init__(self, a):
        super().__init__()
        d, tokens = a.dim, (a.img // a.patch) ** 2 + 1
        self.patch = nn.Conv2d(3, d, a.patch, a.patch)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d))
        self.pos_embed = nn.Parameter(torch.randn(1, tokens, d) * 0.02)
        self.blocks = nn.ModuleList(Block(d, a.heads, 4 * d) for _ in range(a.depth))
        self.norm = Fp32LayerNorm(d, eps=1e-6)
        for p in self.parameters():
            p.requires_grad_(False)
        self.prompts = nn.ParameterList(nn.Parameter(torch.randn(1, a.prompts, d) * 0.02) for _ in range(a.depth))
        self.fc_norm = Fp32LayerNorm(d, eps=1e-5)
        self.head = nn.Linear(d, 384)
        self.proxies = nn.Parameter(torch.randn(100, 384) * 0.1)

    def forward(self, images):
        x = self.patch(images).flatten(2).transpose(1, 2).float()
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], 1) + self.pos_embed
        for blk, p in zip(self.blocks, self.prompts):
            n = p.shape[1]
            x = blk(torch.cat([p.expand(x.shape[0], -1, -1), x], 1))[:, n:]
        x = self.norm(x)[:, 0]
        return F.normalize(self.head(self.fc_norm(x)).float(), dim=-1)


def store_frozen_matrices(model, dtype):
    for m in model.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d)) and not m.weight.requires_grad:
            m.to(dtype)


def main():
    ap = argparse.ArgumentParser()
    for name, default in [("batch", 16), ("img", 224), ("patch", 16), ("dim", 384), ("depth", 12), ("heads", 6),
                          ("prompts", 10), ("threads", 0)]:
        ap.add_argument("--" + name, type=int, default=default)
    ap.add_argument("--profile", default="")
    ap.add_argument("--device", default="cpu")
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    device = torch.device(a.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        sys.exit("torch.cuda.is_available() is false")
    torch.manual_seed(1)
    models = {"fp32": PromptedVit(a), "bf16": PromptedVit(a)}
    store_frozen_matrices(models["bf16"], torch.bfloat16)
    if device.type == "cuda":
        models["fp16"] = PromptedVit(a)
        store_frozen_matrices(models["fp16"], torch.float16)
    for m in models.values():
        m.to(device)
    opts = {k: torch.optim.AdamW([p for p in m.parameters() if p.requires_grad], lr=1e-3) for k, m in models.items()}
    images = torch.randn(a.batch, 3, a.img, a.img).to(device)
    labels = (torch.arange(a.batch) // 2).to(device)
    if a.profile:
        profile(a.profile, models, opts, images, labels)
        return
    print("ready", torch.__version__, torch.get_num_threads(), flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        print(run(*words, models, opts, images, labels), flush=True)


def profile(what, models, opts, images, labels):
    mode, precision = what.split("-")
    for _ in range(2):
        print("warm-up", run(mode, precision, models, opts, images, labels), flush=True)
    from torch.profiler import ProfilerActivity, profile as torch_profile
    with torch_profile(activities=[ProfilerActivity.CPU], record_shapes=True) as p:
        times = run(mode, precision, models, opts, images, labels)
    print("profiled", times, "(fwd_ms bwd_ms, profiler overhead included)")
    print(p.key_averages(group_by_input_shape=True).table(sort_by="self_cpu_time_total", row_limit=25, max_name_column_width=28))


def run(mode, precision, models, opts, images, labels):
    """One `mode` (train|infer) in `precision` (fp32|bf16|fp16); returns "<fwd_ms> <bwd_ms>" (on CUDA: "<fwd_ms> <bwd_ms> <peak_mib>")."""
    model, opt = models[precision], opts[precision]
    dev = images.device.type
    half = torch.float16 if precision == "fp16" else torch.bfloat16
    ctx = torch.autocast(dev, dtype=half, enabled=precision != "fp32")
    cuda = dev == "cuda"
    if cuda:
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    peak = (lambda: f" {torch.cuda.max_memory_allocated() / 2**20:.1f}") if cuda else (lambda: "")
    t0 = time.perf_counter()
    if mode == "infer":
        model.eval()
        with torch.no_grad(), ctx:
            model(images)
        if cuda:
            torch.cuda.synchronize()
        return f"{(time.perf_counter() - t0) * 1e3:.3f} 0{peak()}"
    model.train()
    opt.zero_grad(set_to_none=True)
    with ctx:
        emb = model(images)
    sims = emb @ F.normalize(model.proxies, dim=-1).t() * 16
    loss = sims.logsumexp(1).mean() - (emb * F.normalize(model.proxies[labels], dim=-1)).sum(1).mean() * 16
    if cuda:
        torch.cuda.synchronize()
    t1 = time.perf_counter()
    loss.backward()
    opt.step()
    if cuda:
        torch.cuda.synchronize()
    t2 = time.perf_counter()
    return f"{(t1 - t0) * 1e3:.3f} {(t2 - t1) * 1e3:.3f}{peak()}"


if __name__ == "__main__":
    main()
