"""`hwnas evaluate --checkpoint` against an independent evaluation in PyTorch (see
scripts/instatune-torch-check).

hwnas scores minilm-l6 sub-networks of a fine-tuned checkpoint (`hwnas evaluate --checkpoint DIR
--task sst2 --split S --json --logits F`). Independently, this script reads the checkpoint's
model.safetensors (Hugging Face BertForSequenceClassification names) into scripts/torch_bert.py's
plain-PyTorch BERT, slices each sub-network weight-shared (`torch_bert.subnetwork`: the first L
layers; in layer i the first h_i heads, i.e. the first 32 h_i rows of the query, key and value
weights and biases and columns of the attention output weight, and the first u_i rows of the
intermediate weight and bias and columns of the output weight), reads the split from the TSV files
itself (dev: dev.tsv; val: the last 2,000 phrases of train.tsv), tokenizes with Hugging Face
`tokenizers` (BERT WordPiece on the checkpoint's vocab.txt, lower case, [CLS] ... [SEP],
truncated at the run's maximum length: state.json's, else 64), and runs batches of 32 padded to
their longest, in eval mode (no dropout), as hwnas does. A prediction is the first largest logit.

Per sub-network: both accuracies and their difference in points, the sentences on which the two
disagree about being right, and the largest |logit difference|. The bar: every accuracy within
0.2 points of hwnas's and (unless --no-logits) every logit within 1e-4 x the largest |logit|;
exit status 1 otherwise, 2 for bad input.
"""
import argparse
import ast
import csv
import datetime
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import warnings

# Debian's torch 1.13 is built against numpy 1.x and the environment holds numpy 2; nothing here
# needs numpy, so torch is kept from importing it, and its note that it has none (written to the
# stderr descriptor by its first call) is dropped; an error still raises after stderr is back.
sys.modules.setdefault("numpy", None)
warnings.filterwarnings("ignore", message="Failed to initialize NumPy")
_stderr = os.dup(2)
_devnull = os.open(os.devnull, os.O_WRONLY)
os.dup2(_devnull, 2)
try:
    import torch  # noqa: E402
    torch.set_num_threads(torch.get_num_threads())
finally:
    os.dup2(_stderr, 2)
    os.close(_devnull)
    os.close(_stderr)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_bert  # noqa: E402

BAR = 0.2
# Logits (unless --no-logits): within this fraction of the largest |logit|, as
# scripts/onnx-export-check holds ONNX Runtime's. Accuracy alone cannot tell a wrong slice on a
# young checkpoint whose sub-networks all predict one class; the logits can.
LOGIT_BAR = 1e-4
SLOTS = 6
LAYERS = range(2, SLOTS + 1)
HEADS = [4, 6, 8, 12]
UNITS = [384, 768, 1152, 1536]
HIDDEN = 384
HEAD_SIZE = 32
VALIDATION = 2000
BATCH = 32
DEFAULT_MAX_LENGTH = 64


def fail(message, status=2):
    print(f"instatune-torch-check: {message}", file=sys.stderr)
    sys.exit(status)


# Sub-networks ----------------------------------------------------------------------------------

def genome(layers, heads, units):
    return {"num_layers": layers, "num_attention_heads": list(heads), "intermediate_size": list(units)}


def default_subnets(count, seed):
    """The full network, the smallest, then random ones drawn from `seed` (no repeats)."""
    chosen = [genome(6, [12] * SLOTS, [1536] * SLOTS), genome(2, [4] * SLOTS, [384] * SLOTS)][:count]
    rng = random.Random(seed)
    while len(chosen) < count:
        candidate = genome(rng.choice(list(LAYERS)), [rng.choice(HEADS) for _ in range(SLOTS)],
                           [rng.choice(UNITS) for _ in range(SLOTS)])
        if key(candidate) not in {key(c) for c in chosen}:
            chosen.append(candidate)
    return chosen


def key(subnet):
    """The active genes only: what the network computes."""
    layers = subnet["num_layers"]
    return (layers, tuple(subnet["num_attention_heads"][:layers]), tuple(subnet["intermediate_size"][:layers]))


def normalised(raw, where):
    """A sub-network in hwnas's JSON form from JSON or DyNAS-T's dict syntax; checked against the space."""
    if not isinstance(raw, dict):
        fail(f"{where}: a sub-network is an object with num_layers, num_attention_heads, intermediate_size")
    known = {"num_layers", "num_attention_heads", "intermediate_size"}
    if set(raw) != known:
        fail(f"{where}: genes {sorted(raw)}; minilm-l6 has {sorted(known)}")
    layers = raw["num_layers"]
    if isinstance(layers, list):
        if len(layers) != 1:
            fail(f"{where}: num_layers {layers}: one value")
        layers = layers[0]
    if layers not in LAYERS:
        fail(f"{where}: num_layers {layers}: not one of {list(LAYERS)}")
    for gene, choices in (("num_attention_heads", HEADS), ("intermediate_size", UNITS)):
        values = raw[gene]
        if not isinstance(values, list) or len(values) != SLOTS or any(v not in choices for v in values):
            fail(f"{where}: {gene} {values}: {SLOTS} values, each one of {choices}")
    return genome(layers, raw["num_attention_heads"], raw["intermediate_size"])


def read_subnets(path):
    """Sub-networks of a JSON-lines file (JSON or DyNAS-T dict syntax) or a DyNAS-T CSV."""
    try:
        text = open(path, encoding="utf-8-sig").read()
    except OSError as error:
        fail(f"--subnets {path}: {error.strerror}")
    if path.endswith(".csv"):
        rows = list(csv.DictReader(text.splitlines()))
        if rows and "Sub-network" not in rows[0]:
            fail(f"{path}: no 'Sub-network' column")
        lines = [(f"{path}:{i + 2}", row["Sub-network"]) for i, row in enumerate(rows)]
    else:
        lines = [(f"{path}:{i + 1}", line) for i, line in enumerate(text.split("\n")) if line.strip()]
    subnets = []
    for where, line in lines:
        try:
            raw = json.loads(line)
        except json.JSONDecodeError:
            try:
                raw = ast.literal_eval(line.strip())
            except (ValueError, SyntaxError):
                fail(f"{where}: neither JSON nor a Python dict: {line.strip()[:80]}")
        subnets.append(normalised(raw, where))
    if not subnets:
        fail(f"{path} holds no sub-networks")
    return subnets


def describe(subnet):
    layers, heads, units = key(subnet)
    return f"L{layers} h{','.join(map(str, heads))} u{','.join(map(str, units))}"


# Data and tokens -------------------------------------------------------------------------------

def read_split(folder, split):
    """(text, label) of SST-2's dev (dev.tsv) or val (the last 2,000 phrases of train.tsv), read
    as hwnas reads them: a header naming `label` and `sentence` or `content`, tab-separated, no
    quoting, LF or CRLF, blank lines skipped."""
    path = os.path.join(folder, "dev.tsv" if split == "dev" else "train.tsv")
    try:
        text = open(path, encoding="utf-8-sig").read()
    except OSError as error:
        fail(f"cannot read {path}: {error.strerror}")
    # Split on LF alone: str.splitlines would also split at characters some phrases hold.
    lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
    lines = [line for line in lines if line]
    header = lines[0].split("\t")
    if "label" not in header or not ({"sentence", "content"} & set(header)):
        fail(f"{path}: header {header}: expected 'label' and 'sentence' or 'content'")
    text_column = header.index("sentence") if "sentence" in header else header.index("content")
    label_column = header.index("label")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        if len(fields) != len(header) or fields[label_column] not in ("0", "1"):
            fail(f"{path}: row {number}: expected {len(header)} fields and a 0 or 1 label")
        rows.append((fields[text_column], int(fields[label_column])))
    if split == "val":
        if len(rows) <= VALIDATION:
            fail(f"{path} has {len(rows)} phrases; val is the last {VALIDATION}")
        rows = rows[-VALIDATION:]
    return rows


def tokenize(texts, checkpoint, max_length, tokenizer_file, binary):
    """Token ids of each text and how they were made: Hugging Face `tokenizers` when installed
    (tokenizer_file, else BERT WordPiece on the checkpoint's vocab.txt), else `hwnas tokenize`."""
    try:
        import tokenizers
    except ImportError:
        tokenizers = None
    if tokenizers is not None:
        if tokenizer_file:
            tokenizer = tokenizers.Tokenizer.from_file(tokenizer_file)
            source = f"tokenizers {tokenizers.__version__}, {tokenizer_file}"
        else:
            tokenizer = tokenizers.BertWordPieceTokenizer(os.path.join(checkpoint, "vocab.txt"), clean_text=True,
                                                          handle_chinese_chars=True, strip_accents=None, lowercase=True)
            source = f"tokenizers {tokenizers.__version__} BertWordPieceTokenizer, {checkpoint}/vocab.txt"
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length)
        return [encoding.ids for encoding in tokenizer.encode_batch(texts)], source
    if any("\n" in text or "\r" in text for text in texts):
        fail("a sentence holds a line break: `hwnas tokenize` reads one per line; install tokenizers")
    result = subprocess.run([binary, "tokenize", "--model", checkpoint, "--max-length", str(max_length), "--json"],
                            input="\n".join(texts) + "\n", capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"hwnas tokenize failed: {result.stderr.strip()}", 1)
    ids = [json.loads(line)["ids"] for line in result.stdout.splitlines() if line.strip()]
    if len(ids) != len(texts):
        fail(f"hwnas tokenize gave {len(ids)} sequences for {len(texts)} sentences", 1)
    return ids, f"hwnas tokenize (tokenizers is not installed), {checkpoint}/vocab.txt"


# The two evaluations ---------------------------------------------------------------------------

def check_checkpoint(folder):
    if not os.path.isdir(folder):
        fail(f"--checkpoint {folder}: no such folder")
    missing = [name for name in ("model.safetensors", "config.json", "vocab.txt") if not os.path.isfile(os.path.join(folder, name))]
    if missing:
        fail(f"--checkpoint {folder} is not a fine-tuned checkpoint: no {', '.join(missing)} "
             "(expected the folder of `hwnas finetune --out`: model.safetensors, config.json, vocab.txt, state.json)")
    try:
        config = json.load(open(os.path.join(folder, "config.json")))
    except (OSError, json.JSONDecodeError) as error:
        fail(f"{folder}/config.json: {error}")
    shape = {"hidden_size": HIDDEN, "num_hidden_layers": SLOTS, "num_attention_heads": 12, "intermediate_size": max(UNITS)}
    wrong = {name: config.get(name) for name, value in shape.items() if config.get(name) != value}
    if wrong:
        fail(f"{folder}/config.json: {wrong}; a minilm-l6 checkpoint has {shape}")
    max_length = DEFAULT_MAX_LENGTH
    state_path = os.path.join(folder, "state.json")
    if os.path.isfile(state_path):
        try:
            max_length = json.load(open(state_path))["settings"]["maxLength"]
        except (OSError, json.JSONDecodeError, KeyError, TypeError) as error:
            fail(f"{state_path}: no settings.maxLength ({error})")
    return config, max_length


def run_hwnas(binary, subnets_file, checkpoint, data, split, logits_file):
    command = [binary, "evaluate", "--space", "minilm-l6", "--subnets", subnets_file, "--checkpoint", checkpoint,
               "--task", "sst2", "--split", split, "--data", data, "--json"]
    if logits_file:
        command += ["--logits", logits_file]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"`{' '.join(command)}` failed:\n{result.stderr.strip()}", 1)
    try:
        rows = json.loads(result.stdout)
        logits = [json.loads(line) for line in open(logits_file)] if logits_file else None
    except (OSError, json.JSONDecodeError) as error:
        fail(f"`{' '.join(command)}` wrote no JSON array of evaluations (and --logits lines): {error}", 1)
    return rows, logits, command


def load_torch(checkpoint, config):
    model = torch_bert.BertForSequenceClassification(config)
    path = os.path.join(checkpoint, "model.safetensors")
    try:
        weights = torch_bert.read_safetensors(path)
    except Exception as error:  # a truncated or foreign file fails in struct, json or torch
        fail(f"{path}: not a readable safetensors file ({type(error).__name__}: {error})")
    weights = {name: tensor for name, tensor in weights.items() if not name.endswith("position_ids")}
    try:
        missing, unexpected = model.load_state_dict(weights, strict=False)
    except RuntimeError as error:
        fail(f"{path}: {error}")
    if missing or unexpected:
        fail(f"{path}: not BertForSequenceClassification weights: missing {missing[:4]}, unexpected {unexpected[:4]}")
    return model.eval()


def torch_logits(model, subnet, sequences):
    layers, heads, units = key(subnet)
    sub = torch_bert.subnetwork(model, layers, heads, units).eval()
    out = []
    with torch.no_grad():
        for start in range(0, len(sequences), BATCH):
            chunk = sequences[start:start + BATCH]
            ids, mask, types, _ = torch_bert.pad(chunk, [0] * len(chunk))
            out.append(sub(ids, mask, types))
    return torch.cat(out)


def bits(hex_string, count):
    """hwnas's correctBits: bit i of the bytes (little-endian within a byte) is example i."""
    data = bytes.fromhex(hex_string)
    return [bool(data[i // 8] >> (i % 8) & 1) for i in range(count)]


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--data", default="data/sst2")
    parser.add_argument("--split", default="dev", choices=["dev", "val"])
    parser.add_argument("--bin", default=".build/release/hwnas")
    parser.add_argument("--subnets", default="5", help="a count (the full network, the smallest, then random ones) or a file")
    parser.add_argument("--seed", type=int, default=1, help="the seed of the random sub-networks")
    parser.add_argument("--tokenizer", help="a tokenizer.json (default: WordPiece on the checkpoint's vocab.txt)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-logits", action="store_true", help="compare accuracies only")
    parser.add_argument("--out", help="write the result as JSON to this file")
    args = parser.parse_args()

    config, max_length = check_checkpoint(args.checkpoint)
    if not os.access(args.bin, os.X_OK):
        fail(f"--bin {args.bin}: not an executable; run make build first (or pass --bin)", 1)
    if args.subnets.isdigit():
        count = int(args.subnets)
        if count < 1:
            fail("--subnets 0: give at least one")
        subnets = default_subnets(count, args.seed)
        subnets_source = f"the full network, the smallest and {max(0, count - 2)} random (seed {args.seed})"
    else:
        subnets = read_subnets(args.subnets)
        subnets_source = args.subnets
    torch.set_num_threads(args.threads)

    with tempfile.TemporaryDirectory(prefix="instatune-torch-check.") as work:
        subnets_file = args.subnets if not args.subnets.isdigit() else os.path.join(work, "subnets.jsonl")
        if args.subnets.isdigit():
            with open(subnets_file, "w") as handle:
                handle.writelines(json.dumps(subnet) + "\n" for subnet in subnets)
        logits_file = None if args.no_logits else os.path.join(work, "logits.jsonl")
        hwnas_rows, hwnas_logits, command = run_hwnas(args.bin, subnets_file, args.checkpoint, args.data, args.split, logits_file)
    if len(hwnas_rows) != len(subnets):
        fail(f"hwnas evaluated {len(hwnas_rows)} sub-networks of {len(subnets)}", 1)
    for index, (ours, row) in enumerate(zip(subnets, hwnas_rows)):
        if key(normalised(row["subnet"], f"hwnas's row {index + 1}")) != key(ours):
            fail(f"sub-network {index + 1}: hwnas read {row['subnet']}, this script {ours}", 1)

    examples = read_split(args.data, args.split)
    labels = torch.tensor([label for _, label in examples])
    sequences, tokenizer_source = tokenize([text for text, _ in examples], args.checkpoint, max_length, args.tokenizer, args.bin)
    model = load_torch(args.checkpoint, config)

    print(f"{args.checkpoint} (model.safetensors sha256 {sha256(os.path.join(args.checkpoint, 'model.safetensors'))[:16]}...)")
    split_text = "dev.tsv" if args.split == "dev" else f"the last {VALIDATION} phrases of train.tsv"
    print(f"{args.split} split: {len(examples)} sentences ({split_text}); max length {max_length}, batches of {BATCH} padded to their longest")
    print(f"PyTorch {torch.__version__} ({args.threads} threads), tokens: {tokenizer_source}")
    bars = f"|accuracy difference| <= {BAR:g} points" + ("" if args.no_logits else f", |logit difference| <= {LOGIT_BAR:g} x max|logit|")
    print(f"sub-networks: {subnets_source}; accuracy in percent; bars: {bars}")
    print()
    width = max(len("sub-network"), *(len(describe(subnet)) for subnet in subnets))
    header = f"{'sub-network':<{width}} {'hwnas':>7} {'PyTorch':>7} {'diff':>7} {'disagree':>8}"
    if hwnas_logits is not None:
        header += f" {'max|dlogit|':>11} {'max|logit|':>10}"
    print(header)
    results = []
    for index, (subnet, row) in enumerate(zip(subnets, hwnas_rows)):
        logits = torch_logits(model, subnet, sequences)
        right = (logits.argmax(dim=1) == labels).tolist()
        ours = 100.0 * sum(right) / len(right)
        theirs = row["measuredAccuracy"]
        if row.get("examples") != len(examples):
            fail(f"hwnas measured on {row.get('examples')} examples, this script read {len(examples)}", 1)
        hwnas_right = bits(row["correctBits"], len(examples))
        result = {"subnet": subnet, "hwnasAccuracy": theirs, "torchAccuracy": ours, "differencePoints": ours - theirs,
                  "hwnasCorrect": row["correct"], "torchCorrect": sum(right),
                  "disagreements": sum(a != b for a, b in zip(right, hwnas_right))}
        line = f"{describe(subnet):<{width}} {theirs:7.2f} {ours:7.2f} {ours - theirs:+7.2f} {result['disagreements']:8d}"
        if hwnas_logits is not None:
            record = hwnas_logits[index]
            if record["labels"] != labels.tolist():
                fail("hwnas's --logits labels differ from this script's: not the same sentences", 1)
            theirs_logits = torch.tensor(record["logits"], dtype=torch.float32)
            result["maxAbsLogitDifference"] = float((theirs_logits - logits).abs().max())
            result["maxAbsLogit"] = float(theirs_logits.abs().max())
            result["hwnasLogitsAccuracy"] = record["accuracy"]
            line += f" {result['maxAbsLogitDifference']:11.2e} {result['maxAbsLogit']:10.3f}"
        results.append(result)
        print(line, flush=True)
    worst = max(abs(r["differencePoints"]) for r in results)
    passed = worst <= BAR
    print()
    print(f"{len(results)} sub-networks, largest |accuracy difference| {worst:.3f} points (bar {BAR:g}): {'pass' if passed else 'FAIL'}")
    worst_logit = None
    if hwnas_logits is not None:
        worst_logit = max(r["maxAbsLogitDifference"] / max(r["maxAbsLogit"], 1e-30) for r in results)
        logits_passed = worst_logit <= LOGIT_BAR
        passed = passed and logits_passed
        print(f"largest |logit difference| / max|logit| {worst_logit:.2e} (bar {LOGIT_BAR:g}): {'pass' if logits_passed else 'FAIL'}")
    if args.out:
        document = {
            "kind": "instatune-torch-check", "createdAt": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "checkpoint": args.checkpoint, "modelSha256": sha256(os.path.join(args.checkpoint, "model.safetensors")),
            "task": "sst2", "split": args.split, "data": args.data, "examples": len(examples), "maxLength": max_length,
            "batch": BATCH, "tokenizer": tokenizer_source, "torch": torch.__version__, "threads": args.threads,
            "hwnasCommand": command, "subnetsSource": subnets_source, "barPoints": BAR,
            "largestDifferencePoints": worst, "logitBarRelative": LOGIT_BAR if hwnas_logits is not None else None,
            "largestLogitDifferenceRelative": worst_logit, "pass": passed, "subnets": results,
        }
        temporary = f"{args.out}.{os.getpid()}.tmp"
        with open(temporary, "w") as handle:
            json.dump(document, handle, indent=1)
            handle.write("\n")
        os.replace(temporary, args.out)
        print(f"wrote {args.out}")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
