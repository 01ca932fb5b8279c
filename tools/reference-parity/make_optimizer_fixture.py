#!/usr/bin/env python3
"""Writes the torch.optim reference trajectories VptSp's own optimisers are tested against.

Run by hand (never by CI) with Debian's python3-torch:
    /usr/bin/python3 tools/reference-parity/make_optimizer_fixture.py VptSp.Tests/Fixtures/Optimizers/torch_optim_50_steps.json

Two parameter groups (A: 3x4 with the case's lr and weight decay; B: 5 values with half the lr and no decay) and a
third parameter C that never receives a gradient. Step t (1..50) has the gradient g = p - target_t with
target_t[i] = sin(0.7 t + 0.37 i) (i = flat index, computed in float64, rounded to float32). After step 25 every
group's lr is multiplied by 0.3, as a schedule would do between epochs. Everything else is float32.
"""
import json
import math
import sys

import torch

CASES = {
    "sgd_momentum": dict(kind="sgd", lr=0.1, wd=0.01, momentum=0.9),
    "sgd_plain": dict(kind="sgd", lr=0.1, wd=0.01, momentum=0.0),
    "adam": dict(kind="adam", lr=0.01, wd=0.01),
    "adamw": dict(kind="adamw", lr=0.01, wd=0.05),
}
STEPS = 50


def target(t, n):
    return torch.tensor([math.sin(0.7 * t + 0.37 * i) for i in range(n)], dtype=torch.float64).float()


def run(case):
    a = torch.nn.Parameter(torch.tensor([math.cos(0.5 * i) for i in range(12)], dtype=torch.float64).float().view(3, 4))
    b = torch.nn.Parameter(torch.tensor([0.1 * i - 0.2 for i in range(5)], dtype=torch.float64).float())
    c = torch.nn.Parameter(torch.ones(2))
    groups = [dict(params=[a, c], lr=case["lr"], weight_decay=case["wd"]),
              dict(params=[b], lr=case["lr"] * 0.5, weight_decay=0.0)]
    if case["kind"] == "sgd":
        opt = torch.optim.SGD(groups, lr=case["lr"], momentum=case["momentum"])
    elif case["kind"] == "adam":
        opt = torch.optim.Adam(groups, lr=case["lr"])
    else:
        opt = torch.optim.AdamW(groups, lr=case["lr"])
    first = None
    for t in range(1, STEPS + 1):
        opt.zero_grad(set_to_none=True)
        with torch.no_grad():
            a.grad = a.detach() - target(t, 12).view(3, 4)
            b.grad = b.detach() - target(t, 5)
        opt.step()
        if t == 1:
            first = dict(a=a.detach().flatten().tolist(), b=b.detach().tolist())
        if t == 25:
            for g in opt.param_groups:
                g["lr"] *= 0.3
    return dict(case, after_step_1=first, final=dict(a=a.detach().flatten().tolist(), b=b.detach().tolist(), c=c.detach().tolist()))


def main():
    out = {"torch": torch.__version__, "steps": STEPS, "cases": {name: run(case) for name, case in CASES.items()}}
    with open(sys.argv[1], "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
