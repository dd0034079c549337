"""hwnas's WordPiece tokenizer against Hugging Face `tokenizers` (see scripts/tokenizer-check).

Both tokenize every SST-2 dev sentence and train phrase at the same maximum length; the ids
must be identical. The reference is `tokenizers.Tokenizer.from_file(<model>/tokenizer.json)`
with its own truncation replaced by the same maximum length and its fixed padding turned off
(hwnas pads per batch, not per sentence). A second, wider check feeds every Unicode code point
between two letters through both, to show where the two sets of Unicode tables differ.
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time

import tokenizers
from tokenizers import Tokenizer

EXAMPLES = 20


def read_sst2(path):
    """(line, text) pairs of an SST-2 file; the text column found by its header name."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    header = lines[0].rstrip("\r").split("\t")
    column = next(i for i, name in enumerate(header) if name in ("sentence", "content"))
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        line = line.rstrip("\r")
        if line:
            rows.append((number, line.split("\t")[column]))
    return rows


def hwnas_ids(binary, model, max_length, texts):
    """hwnas tokenize over `texts` (one a line): its ids per text and its wall time."""
    start = time.perf_counter()
    out = subprocess.run([binary, "tokenize", "--model", model, "--max-length", str(max_length)],
                         input="".join(text + "\n" for text in texts).encode("utf-8"),
                         check=True, capture_output=True)
    seconds = time.perf_counter() - start
    lines = out.stdout.decode("utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) != len(texts):
        sys.exit(f"tokenizer-check: hwnas wrote {len(lines)} lines for {len(texts)} inputs")
    return [json.loads(line) for line in lines], seconds


def reference_ids(tokenizer, texts):
    start = time.perf_counter()
    encodings = tokenizer.encode_batch(texts)
    seconds = time.perf_counter() - start
    return [e.ids for e in encodings], seconds


def compare(texts, ours, theirs, tokenizer, where):
    mismatches = []
    for index, (text, a, b) in enumerate(zip(texts, ours, theirs)):
        if a != b:
            mismatches.append({**where(index), "text": text, "hwnas": a, "tokenizers": b,
                               "tokenizersTokens": [tokenizer.id_to_token(i) for i in b]})
    return mismatches


def vocabulary_check(model, tokenizer):
    """vocab.txt (what hwnas reads) against tokenizer.json's vocabulary (what the reference uses)."""
    with open(os.path.join(model, "vocab.txt"), encoding="utf-8") as f:
        tokens = [line.rstrip() for line in f.read().split("\n")]
    if tokens and tokens[-1] == "":
        tokens.pop()
    reference = tokenizer.get_vocab(with_added_tokens=True)
    differing = [t for i, t in enumerate(tokens) if reference.get(t) != i]
    return {"vocabTxt": len(tokens), "tokenizerJson": len(reference), "identical": not differing and len(tokens) == len(reference),
            "differing": differing[:EXAMPLES]}


def code_point_texts():
    # Every scalar value but the surrogates and the line feed (the line separator of the
    # protocol), between two letters so that removal, splitting and joining all show.
    points = [c for c in range(0x110000) if not (0xD800 <= c <= 0xDFFF) and c != 0x0A]
    return points, ["a" + chr(c) + "b" for c in points]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hwnas", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--max-length", type=int, default=64)
    parser.add_argument("--out", required=True)
    parser.add_argument("--skip-code-points", action="store_true")
    args = parser.parse_args()

    with open(os.path.join(args.model, "tokenizer.json"), encoding="utf-8") as f:
        settings = json.load(f)
    tokenizer = Tokenizer.from_file(os.path.join(args.model, "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=args.max_length)

    splits = {}
    mismatches = []
    seconds = {"hwnas": 0.0, "tokenizers": 0.0}
    for split, name in (("dev", "dev.tsv"), ("train", "train.tsv")):
        rows = read_sst2(os.path.join(args.data, name))
        texts = [text for _, text in rows]
        ours, hwnas_seconds = hwnas_ids(args.hwnas, args.model, args.max_length, texts)
        theirs, reference_seconds = reference_ids(tokenizer, texts)
        seconds["hwnas"] += hwnas_seconds
        seconds["tokenizers"] += reference_seconds
        found = compare(texts, ours, theirs, tokenizer, lambda i, rows=rows, split=split: {"split": split, "line": rows[i][0]})
        at_max = sum(1 for ids in theirs if len(ids) == args.max_length)
        splits[split] = {"file": os.path.join(args.data, name), "texts": len(texts), "tokens": sum(len(ids) for ids in theirs),
                         "atMaxLength": at_max, "longestBeforeTruncation": None, "mismatches": len(found)}
        mismatches += found
        print(f"tokenizer-check: {split}: {len(texts)} texts, {len(found)} mismatches", flush=True)

    # How long the texts are untruncated: whether the maximum length cuts anything.
    untruncated = Tokenizer.from_file(os.path.join(args.model, "tokenizer.json"))
    untruncated.no_padding()
    untruncated.no_truncation()
    for split, name in (("dev", "dev.tsv"), ("train", "train.tsv")):
        texts = [text for _, text in read_sst2(os.path.join(args.data, name))]
        splits[split]["longestBeforeTruncation"] = max(len(e.ids) for e in untruncated.encode_batch(texts))

    code_points = None
    if not args.skip_code_points:
        points, texts = code_point_texts()
        ours, _ = hwnas_ids(args.hwnas, args.model, args.max_length, texts)
        theirs, _ = reference_ids(tokenizer, texts)
        found = compare(texts, ours, theirs, tokenizer, lambda i: {"codePoint": f"U+{points[i]:04X}"})
        code_points = {"checked": len(texts), "mismatches": len(found), "form": "'a' + code point + 'b'",
                       "examples": found[:EXAMPLES]}
        print(f"tokenizer-check: code points: {len(texts)} checked, {len(found)} mismatches", flush=True)

    version = subprocess.run([args.hwnas, "--version"], check=True, capture_output=True, text=True).stdout.strip()
    total = sum(s["texts"] for s in splits.values())
    report = {
        "schemaVersion": 1,
        "createdAt": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": {"arch": platform.machine(), "cpus": len(os.sched_getaffinity(0))},
        "hwnas": version,
        "tokenizers": tokenizers.__version__,
        "python": platform.python_version(),
        "model": args.model,
        "maxLength": args.max_length,
        "tokenizerJson": {key: settings.get(key) for key in ("normalizer", "pre_tokenizer", "truncation", "padding")}
        | {"model": {k: v for k, v in settings["model"].items() if k != "vocab"},
           "addedTokens": [t["content"] for t in settings.get("added_tokens", [])]},
        "reference": f"Tokenizer.from_file(tokenizer.json), enable_truncation(max_length={args.max_length}), no_padding()",
        "vocabulary": vocabulary_check(args.model, tokenizer),
        "splits": splits,
        "texts": total,
        "mismatches": len(mismatches),
        "examples": mismatches[:EXAMPLES],
        "codePoints": code_points,
        "seconds": {key: round(value, 3) for key, value in seconds.items()}
        | {"note": "hwnas: the whole `hwnas tokenize` process (start, vocabulary, one thread); tokenizers: encode_batch in-process (its own threads)"},
        "met": not mismatches,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out + ".tmp", "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2, ensure_ascii=False)
        f.write("\n")
    os.replace(args.out + ".tmp", args.out)
    for example in mismatches[:5]:
        print(f"  {example['split']} line {example['line']}: {example['text']!r}\n    hwnas      {example['hwnas']}\n"
              f"    tokenizers {example['tokenizers']}")
    print(f"tokenizer-check: {total} SST-2 texts at max length {args.max_length}, {len(mismatches)} mismatches "
          f"(tokenizers {tokenizers.__version__}); wrote {args.out}")
    return 0 if not mismatches else 1


if __name__ == "__main__":
    sys.exit(main())
