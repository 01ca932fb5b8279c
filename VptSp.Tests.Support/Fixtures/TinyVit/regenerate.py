"""Rebuilds or checks the TinyVit parity fixture with plain PyTorch (no timm, no safetensors package).

  python3 regenerate.py --check   recompute expected.json from the committed weights, images and prompts
  python3 regenerate.py           draw new weights/images/prompts (seed 0) and rewrite every file here
"""
import json, math, os, struct, sys

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ARCH = dict(img_size=32, patch_size=8, embed_dim=48, depth=2, num_heads=3, mlp_ratio=4.0,
            layer_norm_eps=1e-6, gelu="exact (erf)", qkv_bias=True, class_token=True, num_classes=5)
MEAN, STD = [0.5] * 3, [0.5] * 3
PROMPTS = [3, 2]  # prompt tokens for block 0 and block 1


def path(name):
    return os.path.join(HERE, name)


def random_state(gen):
    d, hidden, tokens = ARCH["embed_dim"], int(ARCH["embed_dim"] * ARCH["mlp_ratio"]), (ARCH["img_size"] // ARCH["patch_size"]) ** 2 + 1
    r = lambda *shape: torch.randn(*shape, generator=gen) * 0.1
    sd = {"cls_token": r(1, 1, d), "pos_embed": r(1, tokens, d),
          "patch_embed.proj.weight": r(d, 3, ARCH["patch_size"], ARCH["patch_size"]), "patch_embed.proj.bias": r(d)}
    for b in range(ARCH["depth"]):
        p = f"blocks.{b}."
        sd.update({p + "norm1.weight": 1 + r(d), p + "norm1.bias": r(d),
                   p + "attn.qkv.weight": r(3 * d, d), p + "attn.qkv.bias": r(3 * d),
                   p + "attn.proj.weight": r(d, d), p + "attn.proj.bias": r(d),
                   p + "norm2.weight": 1 + r(d), p + "norm2.bias": r(d),
                   p + "mlp.fc1.weight": r(hidden, d), p + "mlp.fc1.bias": r(hidden),
                   p + "mlp.fc2.weight": r(d, hidden), p + "mlp.fc2.bias": r(d)})
    sd.update({"norm.weight": 1 + r(d), "norm.bias": r(d), "head.weight": r(ARCH["num_classes"], d), "head.bias": r(ARCH["num_classes"])})
    return sd


def block(sd, b, x):
    p, d, h = f"blocks.{b}.", ARCH["embed_dim"], ARCH["num_heads"]
    ln = lambda t, n: F.layer_norm(t, (d,), sd[p + n + ".weight"], sd[p + n + ".bias"], ARCH["layer_norm_eps"])
    y = ln(x, "norm1")
    B, N, _ = y.shape
    qkv = F.linear(y, sd[p + "attn.qkv.weight"], sd[p + "attn.qkv.bias"]).reshape(B, N, 3, h, d // h).permute(2, 0, 3, 1, 4)
    q, k, v = qkv[0], qkv[1], qkv[2]
    att = (q @ k.transpose(-2, -1) / math.sqrt(d // h)).softmax(dim=-1)
    y = (att @ v).transpose(1, 2).reshape(B, N, d)
    x = x + F.linear(y, sd[p + "attn.proj.weight"], sd[p + "attn.proj.bias"])
    y = F.gelu(F.linear(ln(x, "norm2"), sd[p + "mlp.fc1.weight"], sd[p + "mlp.fc1.bias"]))
    return x + F.linear(y, sd[p + "mlp.fc2.weight"], sd[p + "mlp.fc2.bias"])


def tokens_after_norm(sd, images, prompts=None):
    x = F.conv2d(images, sd["patch_embed.proj.weight"], sd["patch_embed.proj.bias"], stride=ARCH["patch_size"])
    x = x.flatten(2).transpose(1, 2)
    x = torch.cat([sd["cls_token"].expand(x.shape[0], -1, -1), x], dim=1) + sd["pos_embed"]
    for b in range(ARCH["depth"]):
        if prompts is None:
            x = block(sd, b, x)
        else:  # prompts go after the image tokens without position embedding and leave after their block
            n = x.shape[1]
            x = block(sd, b, torch.cat([x, prompts[b].expand(x.shape[0], -1, -1)], dim=1))[:, :n]
    return F.layer_norm(x, (ARCH["embed_dim"],), sd["norm.weight"], sd["norm.bias"], ARCH["layer_norm_eps"])


def load_images():
    arrays = [np.asarray(Image.open(path(f"image{i}.png")).convert("RGB"), dtype=np.float32) / 255 for i in range(2)]
    x = torch.from_numpy(np.stack(arrays)).permute(0, 3, 1, 2)
    return (x - torch.tensor(MEAN).view(1, 3, 1, 1)) / torch.tensor(STD).view(1, 3, 1, 1)


def read_safetensors(file):
    with open(file, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header, data = json.loads(f.read(size)), f.read()
    out = {}
    for name, meta in header.items():
        if name == "__metadata__": continue
        assert meta["dtype"] == "F32", f"{name}: only F32 is written here"
        a, b = meta["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(data[a:b], dtype="<f4").copy()).reshape(meta["shape"])
    return out


def write_safetensors(file, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        blob = t.contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob); offset += len(blob)
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    with open(file, "wb") as f:
        f.write(struct.pack("<Q", len(head))); f.write(head); f.write(b"".join(blobs))


def outputs(sd, prompts):
    with torch.no_grad():
        images = load_images()
        plain, prompted = tokens_after_norm(sd, images), tokens_after_norm(sd, images, prompts)
        cls = plain[:, 0]
        return {"cls_after_norm": cls, "cls_after_norm_with_prompts": prompted[:, 0],
                "head_logits": F.linear(cls, sd["head.weight"], sd["head.bias"]),
                "tokens_after_norm_image0_first4": plain[0, :4]}


def check():
    sd = torch.load(path("tiny_vit.pth"))
    st = read_safetensors(path("tiny_vit.safetensors"))
    assert sd.keys() == st.keys() and all(torch.equal(sd[k], st[k]) for k in sd), ".pth and .safetensors differ"
    prompts = read_safetensors(path("prompts.safetensors"))
    expected = json.load(open(path("expected.json")))
    worst = 0.0
    for key, value in outputs(sd, [prompts["prompts.0"], prompts["prompts.1"]]).items():
        diff = (value - torch.tensor(expected[key])).abs().max().item()
        print(f"{key}: max abs difference {diff:.3g}")
        worst = max(worst, diff)
    return 0 if worst <= 1e-4 else 1


def regenerate():
    gen = torch.Generator().manual_seed(0)
    sd = random_state(gen)
    for i in range(2):
        pixels = (torch.rand(32, 32, 3, generator=gen) * 255).round().to(torch.uint8).numpy()
        Image.fromarray(pixels, "RGB").save(path(f"image{i}.png"))
    prompts = [torch.randn(n, ARCH["embed_dim"], generator=gen) for n in PROMPTS]
    torch.save(sd, path("tiny_vit.pth"))
    write_safetensors(path("tiny_vit.safetensors"), sd)
    write_safetensors(path("prompts.safetensors"), {f"prompts.{b}": p for b, p in enumerate(prompts)})
    doc = {"arch": ARCH, "normalization": {"mean": MEAN, "std": STD}, "inputs": ["image0.png", "image1.png"],
           "input_note": "pixels/255, then (x-mean)/std; no resize or crop (images are already 32x32)"}
    doc.update({k: v.tolist() for k, v in outputs(sd, prompts).items()})
    doc["prompts_note"] = "prompts.safetensors: prompts.0 (3x48) before block 0, prompts.1 (2x48) before block 1; no position embedding; removed after their block"
    doc["tolerance"] = "float32: max abs difference 1e-4"
    json.dump(doc, open(path("expected.json"), "w"), indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(check() if "--check" in sys.argv else regenerate())
