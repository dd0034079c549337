"""PyTorch's BertForSequenceClassification (written out in plain torch) trained on the
weights and batches `hwnas finetune --trace` wrote, dropout off; its losses compared with
hwnas's (state.json). Exit status 1 when a loss differs by more than 1e-3 relative."""
import argparse
import json
import math
import sys

import torch
import torch.nn.functional as F


def load(path):
    """The F32 tensors of a safetensors file (8-byte little-endian header length, JSON header,
    raw little-endian data)."""
    raw = open(path, "rb").read()
    length = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8:8 + length])
    data = raw[8 + length:]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue
        begin, end = info["data_offsets"]
        tensors[name] = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32).reshape(info["shape"]).clone()
    return tensors


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--run", required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--tolerance", type=float, default=1e-3)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    config = json.load(open(f"{args.run}/config.json"))
    state = json.load(open(f"{args.run}/state.json"))
    settings = state["settings"]
    weights = {k: torch.nn.Parameter(v) for k, v in load(f"{args.run}/trace-initial.safetensors").items()}
    batches = [json.loads(line) for line in open(f"{args.run}/trace-batches.jsonl")]
    heads, eps = config["num_attention_heads"], config["layer_norm_eps"]
    layers = config["num_hidden_layers"]

    def forward(ids, mask):
        w = weights
        b, n = ids.shape
        positions = torch.arange(n).unsqueeze(0)
        x = w["bert.embeddings.word_embeddings.weight"][ids] + w["bert.embeddings.position_embeddings.weight"][positions] \
            + w["bert.embeddings.token_type_embeddings.weight"][torch.zeros_like(ids)]
        x = F.layer_norm(x, x.shape[-1:], w["bert.embeddings.LayerNorm.weight"], w["bert.embeddings.LayerNorm.bias"], eps)
        bias = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        h = x.shape[-1]
        d = h // heads
        for l in range(layers):
            p = f"bert.encoder.layer.{l}."
            lin = lambda t, name: F.linear(t, w[p + name + ".weight"], w[p + name + ".bias"])
            split = lambda t: t.view(b, n, heads, d).transpose(1, 2)
            q, k, v = split(lin(x, "attention.self.query")), split(lin(x, "attention.self.key")), split(lin(x, "attention.self.value"))
            scores = q @ k.transpose(-1, -2) / math.sqrt(d) + bias
            context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, n, h)
            x = F.layer_norm(lin(context, "attention.output.dense") + x, (h,), w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], eps)
            y = lin(F.gelu(lin(x, "intermediate.dense")), "output.dense")
            x = F.layer_norm(y + x, (h,), w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
        pooled = torch.tanh(F.linear(x[:, 0], w["bert.pooler.dense.weight"], w["bert.pooler.dense.bias"]))
        return F.linear(pooled, w["classifier.weight"], w["classifier.bias"])

    no_decay = [p for k, p in weights.items() if k.endswith("bias") or "LayerNorm.weight" in k]
    decay = [p for k, p in weights.items() if not (k.endswith("bias") or "LayerNorm.weight" in k)]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": settings["weightDecay"]}, {"params": no_decay, "weight_decay": 0.0}],
        lr=settings["learningRate"])
    total, warmup = settings["steps"], state["warmupSteps"]
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: s / max(1, warmup) if s < warmup else max(0.0, (total - s) / max(1, total - warmup)))
    worst = 0.0
    for batch, theirs in zip(batches, state["losses"]):
        n = batch["length"]
        ids = torch.tensor(batch["ids"]).view(-1, n)
        mask = torch.tensor(batch["mask"]).view(-1, n)
        loss = F.cross_entropy(forward(ids, mask), torch.tensor(batch["labels"]))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        ours = loss.item()
        relative = abs(ours - theirs) / abs(ours)
        worst = max(worst, relative)
        print(f"step {batch['step'] + 1:3d}  torch {ours:.6f}  hwnas {theirs:.6f}  relative {relative:.2e}")
    steps = len(state["losses"])
    print(f"{steps} steps, worst relative difference {worst:.2e} (bar {args.tolerance:g}): {'pass' if worst <= args.tolerance else 'FAIL'}")
    sys.exit(0 if worst <= args.tolerance and steps == len(batches) else 1)


if __name__ == "__main__":
    main()
