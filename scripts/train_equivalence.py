"""PyTorch's BertForSequenceClassification (plain torch: scripts/torch_bert.py) trained on the
weights and batches `hwnas finetune --trace` wrote, dropout off; its losses compared with
hwnas's (state.json). Exit status 1 when a loss differs by more than 1e-3 relative."""
import argparse
import json
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_bert  # noqa: E402


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
    model = torch_bert.BertForSequenceClassification(config)
    weights = torch_bert.read_safetensors(f"{args.run}/trace-initial.safetensors")
    missing, unexpected = model.load_state_dict({k: v for k, v in weights.items() if not k.endswith("position_ids")},
                                                strict=False)
    if missing or unexpected:
        raise SystemExit(f"{args.run}/trace-initial.safetensors: missing {missing}, unexpected {unexpected}")
    model.eval()  # dropout off
    batches = [json.loads(line) for line in open(f"{args.run}/trace-batches.jsonl")]
    optimizer = torch_bert.adamw(model, settings["learningRate"], settings["weightDecay"])
    schedule = torch_bert.linear_warmup(optimizer, settings["steps"])
    if schedule.lr_lambdas[0](state["warmupSteps"] - 1) >= 1 or schedule.lr_lambdas[0](state["warmupSteps"]) != 1:
        raise SystemExit(f"warm-up steps differ: hwnas {state['warmupSteps']}")
    worst = 0.0
    for batch, theirs in zip(batches, state["losses"]):
        n = batch["length"]
        ids = torch.tensor(batch["ids"]).view(-1, n)
        mask = torch.tensor(batch["mask"]).view(-1, n)
        loss = F.cross_entropy(model(ids, mask, torch.zeros_like(ids)), torch.tensor(batch["labels"]))
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
