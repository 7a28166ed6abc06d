"""Train reader B's three classifiers on the crops ``training/make_data.py`` makes, export them to ONNX for
OpenCV's dnn module, and write the accuracy report.

    .venv/bin/pip install -e '.[train]'                      # torch, onnx: training only
    .venv/bin/python training/make_data.py /tmp/kp-train     # the crops (see its recipe)
    .venv/bin/python training/train_reader_b.py /tmp/kp-train [--epochs 16] [--seed 1] [--only names|cells|regions]
        [--out DIR]                                          # elsewhere than the package's models (to compare runs)

Writes ``kiemphieu/detect/second/models/{names,cells,regions}.onnx`` and
``kiemphieu/detect/second/models/REPORT.md`` (data, time, and per-class accuracy on the held-out counts:
every fifth count, by count so that no page of a held-out count's print is seen in training).

The networks (``Net``): four 3×3 convolution layers (12, 24, 32, 48 channels; batch norm; ReLU; 2×2 max
pooling after the first three), then the average and the maximum of each channel over the crop, and one
linear layer to the classes. The average sees how much of a name a stroke covers, the maximum whether
anything is there at all. Seeded: torch, numpy and the order of batches, so that a re-run
gives the same weights (``THREADS`` fixed).
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

HERE = Path(__file__).resolve().parent
MODELS = HERE.parent / "kiemphieu" / "detect" / "second" / "models"
CLASSES = {"names": ("standing", "struck", "unclear"), "cells": ("empty", "marked", "unclear"),
           "regions": ("other", "writing", "note")}
Y_KEY = {"names": "name", "cells": "cell", "regions": "region"}
# Layouts on which reader A's layout (detect/printed_boxes.py) gives the names of both columns the same boxes
# (measured on this data: every two-column mark count): their cells' labels would be another name's.
SHARED_BOXES = {("mark", "twocol")}
REGION_OTHER_KEEP = 0.4     # share of the "other" region windows trained on (seeded)
THREADS = 2                 # torch threads (results are the same for a given thread count)


class Net(nn.Module):
    def __init__(self, n_classes: int = 3, widths=(12, 24, 32, 48)):
        super().__init__()
        layers, c = [], 2
        for i, w in enumerate(widths):
            layers += [nn.Conv2d(c, w, 3, padding=1, bias=False), nn.BatchNorm2d(w), nn.ReLU()]
            if i < len(widths) - 1:
                layers.append(nn.MaxPool2d(2))
            c = w
        self.features = nn.Sequential(*layers)
        self.avg = nn.AdaptiveAvgPool2d(1)
        self.max = nn.AdaptiveMaxPool2d(1)
        self.head = nn.Linear(2 * c, n_classes)

    def forward(self, x):
        f = self.features(x)
        return self.head(torch.flatten(torch.cat([self.avg(f), self.max(f)], 1), 1))


def load(data: Path) -> dict:
    """Every count's crops: {kind: (x uint8 (N, 2, h, w), y int, count id, page id per crop)}."""
    out = {k: ([], [], [], []) for k in CLASSES}
    counts = sorted(data.glob("count_*.npz"))
    for f in counts:
        d = np.load(f)
        k = int(f.stem.split("_")[1])
        blank = json.loads(str(d["meta"]))["blank"]
        for kind, short in Y_KEY.items():
            if kind == "cells" and (blank["kind"], blank["layout"]) in SHARED_BOXES:
                continue
            x, y = d[kind], d[short + "_y"]
            if len(y):
                out[kind][0].append(x)
                out[kind][1].append(y.astype(np.int64))
                out[kind][2].append(np.full(len(y), k))
                out[kind][3].append(k * 1000 + d[short + "_page"].astype(np.int64))
    return {kind: tuple(np.concatenate(v) for v in vals) if vals[0] else None for kind, vals in out.items()}, len(
        counts
    )


def augment(x: torch.Tensor, kind: str, g: torch.Generator) -> torch.Tensor:
    """Small shifts (±1 px) and mirror images the label does not depend on."""
    n = x.shape[0]
    if torch.rand(1, generator=g).item() < 0.5:
        x = torch.flip(x, dims=[3])
    if kind != "names" and torch.rand(1, generator=g).item() < 0.5:
        x = torch.flip(x, dims=[2])
    dx, dy = (int(v) for v in torch.randint(-1, 2, (2,), generator=g))
    x = torch.roll(x, shifts=(dy, dx), dims=(2, 3))
    # Page contrast varies (light scans, pencil): scale the page channel by 0.8-1.1 per crop.
    s = 0.8 + 0.3 * torch.rand(n, 1, 1, 1, generator=g)
    x = torch.cat([torch.clamp(x[:, :1] * s, 0, 1), x[:, 1:]], 1)
    return x


def from_onnx(path: Path) -> Net:
    """A ``Net`` holding the weights of an exported network (``export``): the export folds each batch norm into
    its convolution, so the convolutions get the folded weights and the batch norms become the identity plus the
    folded bias (mean 0, variance 1 − eps, scale 1). Fine-tuning keeps these batch norms as they are
    (``freeze_norms``): their running statistics are not measured again."""
    import onnx
    from onnx import numpy_helper
    m = onnx.load(str(path))
    init = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
    convs = [n for n in m.graph.node if n.op_type == "Conv"]
    net = Net()
    layers = [mod for mod in net.features if isinstance(mod, nn.Conv2d)]
    norms = [mod for mod in net.features if isinstance(mod, nn.BatchNorm2d)]
    with torch.no_grad():
        for node, conv, bn in zip(convs, layers, norms, strict=True):
            conv.weight.copy_(torch.from_numpy(init[node.input[1]].copy()))
            bn.weight.fill_(1.0)
            bn.bias.copy_(torch.from_numpy(init[node.input[2]].copy()))
            bn.running_mean.zero_()
            bn.running_var.fill_(1.0 - bn.eps)
        gemm = [n for n in m.graph.node if n.op_type == "Gemm"][0]
        net.head.weight.copy_(torch.from_numpy(init[gemm.input[1]].copy()))
        net.head.bias.copy_(torch.from_numpy(init[gemm.input[2]].copy()))
    return net


def freeze_norms(net: Net) -> None:
    """Batch norms in evaluation mode (their statistics kept) while the rest trains."""
    for mod in net.modules():
        if isinstance(mod, nn.BatchNorm2d):
            mod.eval()


def train_one(kind: str, x: np.ndarray, y: np.ndarray, cid: np.ndarray, pid: np.ndarray, epochs: int,
              seed: int, init: Path | None = None, lr: float = 3e-3) -> tuple[Net, dict]:
    """Train one network (``init``: start from this exported network's weights and fine-tune it at the
    peak learning rate ``lr``, its batch norms frozen; else from seeded random weights)."""
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    val = cid % 5 == 0
    train = ~val
    boost = np.ones(3)
    if kind == "regions":
        # Most windows are plainly "other" (the seal, print): a seeded share of them is enough to learn from,
        # weighted up so that the class keeps its place in the loss.
        keep = np.random.default_rng(seed).random(len(y)) < REGION_OTHER_KEEP
        train &= (y != 0) | keep
        boost[0] = 1 / REGION_OTHER_KEEP
    xt = torch.from_numpy(x[train]).float() / 255.0
    yt = torch.from_numpy(y[train])
    xv = torch.from_numpy(x[val]).float() / 255.0
    yv = y[val]
    counts = np.bincount(y[train], minlength=3).astype(float) * boost
    # Rare classes weigh a little more (the fourth root of their rarity): enough to learn them, not so much
    # that clear crops are read as unsure.
    w = torch.tensor((counts.sum() / np.maximum(counts, 1)) ** 0.25 * boost, dtype=torch.float32)
    net = from_onnx(init) if init is not None else Net()
    opt = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=1e-4)
    steps = epochs * ((len(yt) + 127) // 128)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=max(1, steps))
    lossf = nn.CrossEntropyLoss(weight=w / w.mean())
    t0 = time.perf_counter()
    for ep in range(epochs):
        net.train()
        if init is not None:
            freeze_norms(net)
        perm = torch.randperm(len(yt), generator=g)
        tot = 0.0
        for i in range(0, len(perm), 128):
            b = perm[i:i + 128]
            out = net(augment(xt[b], kind, g))
            loss = lossf(out, yt[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot += float(loss.detach()) * len(b)
        print(f"{kind} epoch {ep + 1}/{epochs} loss {tot / len(yt):.4f} ({time.perf_counter() - t0:.0f} s)", flush=True)
    net.eval()
    with torch.no_grad():
        pv = torch.softmax(torch.cat([net(xv[i:i + 512]) for i in range(0, len(xv), 512)]), 1).numpy() \
            if len(xv) else np.zeros((0, 3))
    return net, {"train": int(train.sum()), "val": int(val.sum()), "seconds": round(time.perf_counter() - t0, 1),
                 "class_counts": np.bincount(y, minlength=3).tolist(), "val_prob": pv, "val_y": yv,
                 "val_page": pid[val]}


def export(net: Net, kind: str, shape: tuple[int, int], folder: Path = MODELS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kind}.onnx"
    dummy = torch.zeros(1, 2, *shape)
    torch.onnx.export(net, dummy, str(path), input_names=["crops"], output_names=["logits"], opset_version=13,
                      dynamic_axes={"crops": {0: "n"}, "logits": {0: "n"}}, dynamo=False)
    return path


def confusion(p: np.ndarray, y: np.ndarray, sure: float) -> tuple[np.ndarray, np.ndarray]:
    """(3×3 argmax confusion, 3×4 confusion with "not sure" as a 4th column at ``sure``)."""
    a = np.zeros((3, 3), int)
    b = np.zeros((3, 4), int)
    for pi, yi in zip(p, y):
        k = int(pi.argmax())
        a[yi, k] += 1
        b[yi, k if pi[k] >= sure else 3] += 1
    return a, b


PLACES = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


def placement(kind: str, info: dict) -> str:
    """Where the decision constants of ``detect/second/decide.py`` can go: per candidate value, on the
    held-out pages, the share of clear pages reader B alone would send to review (a needless flag when
    reader A reads them right), and of the unclear or added-writing items it would not flag."""
    p, y, page = info["val_prob"], info["val_y"], info["val_page"]
    pages = np.unique(page)
    lines = [f"\nPlacing the decision ({kind}; held-out pages: {len(pages)}):\n"]
    if kind == "regions":
        lines.append(
            "\n| doubt at p(writing or note) ≥ | clean pages flagged | writing pages seen | note pages seen |\n"
            "|---:|---:|---:|---:|\n"
        )
        for t in PLACES:
            clean = flag = wp = wseen = npg = nseen = 0
            for q in pages:
                m = page == q
                hot = (p[m, 1] >= t) | (p[m, 2] >= t)
                if (y[m] == 1).any():
                    wp += 1
                    wseen += bool((p[m, 1][y[m] == 1] >= t).any())
                elif (y[m] == 2).any():
                    npg += 1
                    nseen += bool(hot.any())
                else:
                    clean += 1
                    flag += bool(hot.any())
            lines.append(f"| {t} | {flag}/{clean} ({flag / max(1, clean):.3f}) | {wseen}/{wp} | {nseen}/{npg} |\n")
        return "".join(lines)
    lines.append(
        "\n| sure at p ≥ | clear pages flagged | clear items misread | unclear items read clear |\n"
        "|---:|---:|---:|---:|\n"
    )
    for t in PLACES:
        k = p.argmax(1)
        sure = p.max(1) >= t
        read = np.where(sure & (k != 2), k, 2)
        clear_pages = [q for q in pages if not (y[page == q] == 2).any()]
        flagged = sum(bool((read[page == q] != y[page == q]).any()) for q in clear_pages)
        misread = int(((y != 2) & (read != 2) & (read != y)).sum())
        unclear = y == 2
        lines.append(f"| {t} | {flagged}/{len(clear_pages)} ({flagged / max(1, len(clear_pages)):.3f}) | "
                     f"{misread}/{int((y != 2).sum())} | {int((read[unclear] != 2).sum())}/{int(unclear.sum())} |\n")
    return "".join(lines)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data")
    ap.add_argument("--epochs", type=int, default=16)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", choices=list(CLASSES), action="append")
    ap.add_argument("--init", type=Path, help="fine-tune: start from the networks in this folder ({kind}.onnx)")
    ap.add_argument("--lr", type=float, default=3e-3, help="peak learning rate (fine-tuning: lower)")
    ap.add_argument("--threads", type=int, default=THREADS,
                    help="torch threads (a run is reproducible for a given thread count)")
    ap.add_argument("--out", type=Path, default=MODELS,
                    help="where the ONNX files and reports go (default: the package's models, used by the count)")
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    np.random.seed(a.seed)
    from kiemphieu.detect.second import crops as C
    from kiemphieu.detect.second.decide import CELL_SURE_PROB, NAME_SURE_PROB, REGION_PROB
    sure_of = {"names": NAME_SURE_PROB, "cells": CELL_SURE_PROB, "regions": REGION_PROB}
    shapes = {"names": C.NAME_SHAPE, "cells": C.CELL_SHAPE, "regions": C.REGION_SHAPE}
    data, n_counts = load(Path(a.data))
    head = ["# Reader B: accuracy report\n", f"Data: {n_counts} counts from `training/make_data.py` "
            f"(its recipe: seed and counts in the Makefile's `train` target); held out: every fifth count.\n",
            f"Command: `training/train_reader_b.py DATA --epochs {a.epochs} --seed {a.seed}`\n",
            "\nEach network: page and blank crops side by side (2 channels), four 3×3 convolutions (12, 24, 32, 48 "
            "channels), average and maximum pooling, one linear layer; about 24,000 weights (96 kB of ONNX). "
            "Training seconds below were measured on the 2-core machine shared with other jobs.\n"]
    summary = {}
    for kind in a.only or list(CLASSES):
        report = []
        if data[kind] is None:
            continue
        x, y, cid, pid = data[kind]
        net, info = train_one(kind, x, y, cid, pid, a.epochs, a.seed,
                              a.init / f"{kind}.onnx" if a.init is not None else None, a.lr)
        path = export(net, kind, shapes[kind], a.out)
        cm, cs = confusion(info["val_prob"], info["val_y"], sure_of[kind])
        names = CLASSES[kind]
        size = path.stat().st_size
        report.append(f"\n## {kind} ({', '.join(names)})\n\n{info['train']} crops trained on, {info['val']} held out; "
                      f"all crops by class: {dict(zip(names, info['class_counts']))}; "
                      f"{a.epochs} epochs, training {info['seconds']:.0f} s; model {size / 1024:.0f} kB.\n")
        acc = float(np.trace(cm)) / max(1, cm.sum())
        report.append(
            f"Held-out accuracy (most probable class): {acc:.4f}\n\n| truth \\ read | "
            + " | ".join(names)
            + " |\n|---|"
            + "---:|" * 3
            + "\n"
            + "".join(f"| {names[i]} | " + " | ".join(str(v) for v in cm[i]) + " |\n" for i in range(3))
        )
        report.append(
            f"\nWith a class read only at probability ≥ {sure_of[kind]} (else not sure):\n\n| truth \\ read | "
            + " | ".join(names)
            + " | not sure |\n|---|"
            + "---:|" * 4
            + "\n"
            + "".join(f"| {names[i]} | " + " | ".join(str(v) for v in cs[i]) + " |\n" for i in range(3))
        )
        report.append(placement(kind, info))
        summary[kind] = {"accuracy": round(acc, 4), "kB": round(size / 1024), "seconds": info["seconds"]}
        (a.out / f"report-{kind}.md").write_text("".join(report), encoding="utf-8")
    parts = [
        (a.out / f"report-{k}.md").read_text(encoding="utf-8") for k in CLASSES if (a.out / f"report-{k}.md").exists()
    ]
    (a.out / "REPORT.md").write_text("".join(head + parts), encoding="utf-8")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
