"""An hwnas checkpoint scored in PyTorch as sub-networks, against `hwnas evaluate --checkpoint`
(see scripts/instatune-check).

The checkpoint's model.safetensors (Hugging Face BertForSequenceClassification names) is loaded
into scripts/torch_bert.py's plain-PyTorch BERT; a sub-network keeps the first L layers, in
layer i the first h_i heads (rows of the query, key and value weights and biases, columns of the
attention output weight) and the first u_i intermediate units (rows of the intermediate weight
and bias, columns of the output weight), as hwnas slices them. The sentences are tokenized by
Hugging Face `tokenizers` from the pre-trained model's tokenizer.json (not by hwnas), truncated
at the run's maximum length, each batch of 32 padded to its longest. Exit status 1 when an
accuracy differs from hwnas's by more than the tolerance (0.2 points).
"""
import argparse
import copy
import json
import os
import random
import sys

import torch
from tokenizers import Tokenizer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_bert  # noqa: E402

HEADS = [4, 6, 8, 12]
WIDTHS = [384, 768, 1152, 1536]


def subnets(count, seed):
    """The smallest and largest sub-networks, then random ones (DyNAS-T dicts)."""
    rng = random.Random(seed)
    chosen = [
        {"num_layers": [2], "num_attention_heads": [4] * 6, "intermediate_size": [384] * 6},
        {"num_layers": [6], "num_attention_heads": [12] * 6, "intermediate_size": [1536] * 6},
    ]
    while len(chosen) < count:
        chosen.append({"num_layers": [rng.randint(2, 6)], "num_attention_heads": [rng.choice(HEADS) for _ in range(6)],
                       "intermediate_size": [rng.choice(WIDTHS) for _ in range(6)]})
    return chosen[:count]


def sliced(model, subnet, head_size):
    """A copy of `model` that runs `subnet`: its weights are the first rows and columns."""
    model = copy.deepcopy(model)
    layers = subnet["num_layers"][0]
    model.bert.encoder.layer = model.bert.encoder.layer[:layers]
    for index, layer in enumerate(model.bert.encoder.layer):
        heads, units = subnet["num_attention_heads"][index], subnet["intermediate_size"][index]
        inner = heads * head_size
        attention = layer.attention.self
        for projection in (attention.query, attention.key, attention.value):
            projection.weight = torch.nn.Parameter(projection.weight[:inner].clone())
            projection.bias = torch.nn.Parameter(projection.bias[:inner].clone())
        attention.heads = heads
        attention.head_size = head_size
        dense = layer.attention.output.dense
        dense.weight = torch.nn.Parameter(dense.weight[:, :inner].clone())
        intermediate = layer.intermediate.dense
        intermediate.weight = torch.nn.Parameter(intermediate.weight[:units].clone())
        intermediate.bias = torch.nn.Parameter(intermediate.bias[:units].clone())
        output = layer.output.dense
        output.weight = torch.nn.Parameter(output.weight[:, :units].clone())
    return model


def read_split(folder, split):
    """(text, label) of SST-2's dev (dev.tsv) or val (the last 2,000 phrases of train.tsv)."""
    name = "dev.tsv" if split == "dev" else "train.tsv"
    lines = open(os.path.join(folder, name), encoding="utf-8").read().split("\n")
    header = lines[0].rstrip("\r").split("\t")
    text = next(i for i, n in enumerate(header) if n in ("sentence", "content"))
    label = header.index("label")
    rows = [line.rstrip("\r").split("\t") for line in lines[1:] if line.rstrip("\r")]
    rows = [(r[text], int(r[label])) for r in rows]
    return rows if split == "dev" else rows[-2000:]


def accuracy(model, sequences, labels, batch=32):
    correct = 0
    with torch.no_grad():
        for start in range(0, len(sequences), batch):
            ids, mask, types, y = torch_bert.pad(sequences[start:start + batch], labels[start:start + batch])
            correct += int((model(ids, mask, types).argmax(dim=1) == y).sum())
    return 100.0 * correct / len(sequences)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--hwnas", required=True, help="hwnas evaluate --json output for the sub-networks")
    parser.add_argument("--subnets", required=True, help="the sub-networks, one JSON object a line")
    parser.add_argument("--tokenizer", required=True)
    parser.add_argument("--data", default="data/sst2")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--tolerance", type=float, default=0.2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    config = json.load(open(os.path.join(args.checkpoint, "config.json")))
    state = json.load(open(os.path.join(args.checkpoint, "state.json")))
    max_length = state["settings"]["maxLength"]
    model = torch_bert.BertForSequenceClassification(config)
    weights = torch_bert.read_safetensors(os.path.join(args.checkpoint, "model.safetensors"))
    missing, unexpected = model.load_state_dict({k: v for k, v in weights.items() if not k.endswith("position_ids")}, strict=False)
    if missing or unexpected:
        raise SystemExit(f"{args.checkpoint}/model.safetensors: missing {missing}, unexpected {unexpected}")
    model.eval()
    tokenizer = Tokenizer.from_file(args.tokenizer)
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length)
    examples = read_split(args.data, args.split)
    sequences = [encoding.ids for encoding in tokenizer.encode_batch([text for text, _ in examples])]
    labels = [label for _, label in examples]
    theirs = json.load(open(args.hwnas))
    chosen = [json.loads(line) for line in open(args.subnets) if line.strip()]
    head_size = config["hidden_size"] // config["num_attention_heads"]
    worst = 0.0
    print(f"{args.checkpoint}: {len(examples)} {args.split} examples, max length {max_length}; accuracy in percent")
    for subnet, row in zip(chosen, theirs):
        ours = accuracy(sliced(model, {k: v if isinstance(v, list) else [v] for k, v in subnet.items()}, head_size), sequences, labels)
        hwnas = row["measuredAccuracy"]
        worst = max(worst, abs(ours - hwnas))
        print(f"  torch {ours:7.3f}  hwnas {hwnas:7.3f}  difference {ours - hwnas:+.3f}  {json.dumps(subnet)}")
    ok = worst <= args.tolerance and len(theirs) == len(chosen)
    print(f"{len(chosen)} sub-networks, largest difference {worst:.3f} points (bar {args.tolerance:g}): {'pass' if ok else 'FAIL'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--write-subnets":
        count, seed, path = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
        with open(path, "w") as f:
            for s in subnets(count, seed):
                f.write(json.dumps(s) + "\n")
        sys.exit(0)
    main()
