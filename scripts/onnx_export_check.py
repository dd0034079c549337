#!/usr/bin/env python3
"""hwnas export against ONNX Runtime (see scripts/onnx-export-check)."""
import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import onnx_check  # noqa: E402

ort.set_default_logger_severity(3)

LOGIT_BAR = 1e-4       # x max|logit|, fine-tuned minilm-l6 against hwnas evaluate
NATIVE_BAR = 1e-3      # absolute, seeded sub-networks against hwnas's native runtime
BATCH = 32             # hwnas evaluate's batch (FineTunedCheckpoint's default)
MAX_LENGTH = 64        # fine-tuning's maximum length (the checkpoint's state.json says so too)

MINILM = [
    {"num_layers": 6, "num_attention_heads": [12] * 6, "intermediate_size": [1536] * 6},
    {"num_layers": 6, "num_attention_heads": [12, 8, 12, 8, 12, 8], "intermediate_size": [1536, 1152, 1536, 1152, 1536, 1152]},
    {"num_layers": 4, "num_attention_heads": [8, 12, 6, 8, 4, 4], "intermediate_size": [1152, 768, 1536, 384, 384, 384]},
    {"num_layers": 2, "num_attention_heads": [4, 4, 4, 4, 4, 4], "intermediate_size": [384] * 6},
]
OFA = [
    {"ks": [7] * 20, "e": [6] * 20, "d": [4] * 5, "r": 224},
    {"ks": [3] * 20, "e": [3] * 20, "d": [2] * 5, "r": 224},
    {"ks": [3, 7, 5, 3, 3, 5, 3, 7, 5, 7, 7, 7, 5, 5, 7, 7, 3, 3, 3, 5], "e": [6, 6, 6, 3, 4, 6, 3, 3, 4, 6, 6, 6, 3, 6, 4, 3, 4, 6, 4, 4],
     "d": [2, 3, 4, 4, 2], "r": 160},
]
VIT = [
    {"num_layers": 12, "num_attention_heads": [12] * 12, "vit_intermediate_sizes": [3072] * 12},
    {"num_layers": 10, "num_attention_heads": [6, 8, 10, 12, 6, 8, 10, 12, 6, 8, 6, 6], "vit_intermediate_sizes": [1024, 2048, 3072] * 4},
]
BERT = [
    {"num_layers": 6, "num_attention_heads": [8, 12, 6, 10, 12, 6] + [6] * 6, "intermediate_size": [3072, 1024, 2048, 3072, 1024, 2048] + [1024] * 6},
]


def log(message):
    print(f"onnx-export-check: {message}", file=sys.stderr, flush=True)


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise SystemExit(f"onnx-export-check: {' '.join(command[:3])}... exited {result.returncode}:\n{result.stderr}")
    return result.stdout


def export(bin, space, subnet, out, checkpoint=None):
    command = [bin, "export", "--space", space, "--subnet", json.dumps(subnet), "--out", out, "--sample", "--force"]
    if checkpoint:
        command += ["--checkpoint", checkpoint]
    run(command)
    with open(os.path.join(out, "config.json")) as handle:
        return json.load(handle)


def session(path, threads):
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def fine_tune(bin, steps, threads, folder):
    log(f"no --checkpoint: fine-tuning minilm-l6 on SST-2 for {steps} steps into {folder}")
    run([bin, "finetune", "--space", "minilm-l6", "--task", "sst2", "--steps", str(steps), "--eval-every", "0",
         "--save-every", "0", "--threads", str(threads), "--quiet", "--out", folder])
    return folder


def dev_sentences(data):
    with open(os.path.join(data, "dev.tsv")) as handle:
        lines = handle.read().splitlines()
    header = lines[0].split("\t")
    text = header.index("sentence") if "sentence" in header else header.index("content")
    label = header.index("label")
    rows = [line.split("\t") for line in lines[1:] if line]
    return [r[text] for r in rows], [int(r[label]) for r in rows]


def check_minilm(bin, checkpoint, scratch, threads, data):
    """Every sub-network: export, checker and sample, then the dev set through ONNX Runtime in
    hwnas evaluate's batches, against evaluate --logits."""
    subnets_file = os.path.join(scratch, "minilm.jsonl")
    with open(subnets_file, "w") as handle:
        for subnet in MINILM:
            handle.write(json.dumps(subnet) + "\n")
    logits_file = os.path.join(scratch, "minilm-logits.jsonl")
    started = time.time()
    evaluation = json.loads(run([bin, "evaluate", "--space", "minilm-l6", "--subnets", subnets_file, "--checkpoint", checkpoint,
                                 "--task", "sst2", "--data", data, "--logits", logits_file, "--json"]))
    log(f"hwnas evaluate --checkpoint: {len(evaluation)} sub-networks in {time.time() - started:.0f} s")
    with open(logits_file) as handle:
        native = [json.loads(line) for line in handle if line.strip()]
    sentences, labels = dev_sentences(data)
    ids = [json.loads(line) for line in run([bin, "tokenize", "--model", checkpoint, "--max-length", str(MAX_LENGTH)],
                                             input="\n".join(sentences) + "\n").splitlines()]
    assert len(ids) == len(labels), f"{len(ids)} tokenized lines for {len(labels)} sentences"
    results = []
    for index, (subnet, reference, evaluated) in enumerate(zip(MINILM, native, evaluation)):
        out = os.path.join(scratch, f"minilm-{index}")
        config = export(bin, "minilm-l6", subnet, out, checkpoint)
        checked = onnx_check.check(out)
        model = session(os.path.join(out, "model.onnx"), threads)
        logits = []
        for start in range(0, len(ids), BATCH):
            rows = ids[start:start + BATCH]
            length = max(len(r) for r in rows)
            input_ids = np.zeros((len(rows), length), dtype=np.int64)
            mask = np.zeros((len(rows), length), dtype=np.int64)
            for i, r in enumerate(rows):
                input_ids[i, :len(r)] = r
                mask[i, :len(r)] = 1
            logits.append(model.run(["logits"], {"input_ids": input_ids, "attention_mask": mask,
                                                 "token_type_ids": np.zeros_like(input_ids)})[0])
        logits = np.concatenate(logits).astype(np.float64)
        want = np.array(reference["logits"], dtype=np.float64)
        assert reference["labels"] == labels, "evaluate's dev labels differ from data/sst2/dev.tsv's"
        # As hwnas computes it: 100 x correct / sentences, in that order.
        accuracy = 100.0 * int((logits.argmax(axis=1) == np.array(labels)).sum()) / len(labels)
        difference = float(np.abs(logits - want).max())
        largest = float(np.abs(want).max())
        sample = checked.get("outputs", [{}])[0]
        entry = {
            "space": "minilm-l6", "subnet": subnet, "weights": "checkpoint", "checkpointSha256": config["weights"]["checkpointSha256"],
            "checker": checked.get("checker"), "sampleMaxAbsDifference": sample.get("maxAbsDifference"),
            "sampleMaxAbsExpected": sample.get("maxAbsExpected"),
            "devSentences": len(labels), "hwnasAccuracy": evaluated["measuredAccuracy"], "hwnasLogitsAccuracy": reference["accuracy"],
            "ortAccuracy": accuracy, "maxAbsLogitDifference": difference, "maxAbsLogit": largest,
            "relativeDifference": difference / largest, "predictionsDiffering": int((logits.argmax(axis=1) != want.argmax(axis=1)).sum()),
        }
        entry["passed"] = (entry["checker"] == "ok" and accuracy == evaluated["measuredAccuracy"]
                           and difference <= LOGIT_BAR * largest
                           and sample.get("maxAbsDifference", 1) <= LOGIT_BAR * sample.get("maxAbsExpected", 0))
        log(f"minilm-l6 #{index}: accuracy hwnas {evaluated['measuredAccuracy']:.2f}% ORT {accuracy:.2f}%, "
            f"logits within {difference:.2e} (max |logit| {largest:.2f}), checker {entry['checker']}")
        results.append(entry)
    return results


def check_seeded(bin, space, subnets, scratch):
    results = []
    for index, subnet in enumerate(subnets):
        out = os.path.join(scratch, f"{space}-{index}")
        export(bin, space, subnet, out)
        checked = onnx_check.check(out)
        sample = checked.get("outputs", [{}])[0]
        entry = {"space": space, "subnet": subnet, "weights": "seeded", "checker": checked.get("checker"),
                 "maxAbsDifference": sample.get("maxAbsDifference"), "maxAbsLogit": sample.get("maxAbsExpected"),
                 "error": checked.get("error")}
        entry["relativeDifference"] = (entry["maxAbsDifference"] / entry["maxAbsLogit"]) if entry["maxAbsLogit"] else None
        entry["passed"] = entry["checker"] == "ok" and entry["error"] is None and entry["maxAbsDifference"] <= NATIVE_BAR
        log(f"{space} #{index}: logits within {entry['maxAbsDifference']:.2e} of hwnas's native ones "
            f"(max |logit| {entry['maxAbsLogit']:.3g}), checker {entry['checker']}")
        shutil.rmtree(out, ignore_errors=True)
        results.append(entry)
    return results


def render(report):
    lines = [
        f"# hwnas export against ONNX Runtime {report['versions']['onnxruntime']}",
        "",
        f"Checked {report['createdAt']} with hwnas {report['hwnasVersion']}, onnx {report['versions']['onnx']}. "
        f"Fine-tuned checkpoint: {report['checkpoint']['source']} (model.safetensors sha256 {report['checkpoint']['sha256'][:16]}...).",
        "",
        "Fine-tuned minilm-l6 sub-networks, SST-2 dev (872 sentences) in ONNX Runtime against `hwnas evaluate --checkpoint` "
        f"(bar: the same accuracy, logits within {LOGIT_BAR:g} x max|logit|):",
        "",
        "| sub-network | hwnas accuracy | ORT accuracy | max abs logit diff | max abs logit | relative | predictions differing | checker |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for e in report["minilm"]:
        lines.append(f"| `{json.dumps(e['subnet'], separators=(',', ':'))}` | {e['hwnasAccuracy']:.2f} | {e['ortAccuracy']:.2f} | "
                     f"{e['maxAbsLogitDifference']:.2e} | {e['maxAbsLogit']:.3f} | {e['relativeDifference']:.1e} | "
                     f"{e['predictionsDiffering']} | {e['checker']} |")
    lines += ["", f"Seeded sub-networks against hwnas's native runtime (`--sample`, batch 2; bar: within {NATIVE_BAR:g}):", "",
              "| space | sub-network | max abs diff | max abs logit | relative | checker |", "|---|---|---:|---:|---:|---|"]
    for e in report["seeded"]:
        lines.append(f"| {e['space']} | `{json.dumps(e['subnet'], separators=(',', ':'))}` | {e['maxAbsDifference']:.2e} | "
                     f"{e['maxAbsLogit']:.3g} | {e['relativeDifference']:.1e} | {e['checker']} |")
    lines += ["", f"All checks {'passed' if report['passed'] else 'did NOT pass'}.", ""]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bin", default=".build/release/hwnas")
    parser.add_argument("--checkpoint", help="a hwnas finetune run folder (default: fine-tune --steps steps here)")
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--threads", type=int, default=1, help="ONNX Runtime's and fine-tuning's threads")
    parser.add_argument("--data", default="data/sst2")
    parser.add_argument("--out", default="bench/results")
    parser.add_argument("--scratch", help="folder for the exports (default: a temporary one, removed)")
    args = parser.parse_args()

    holder = None if args.scratch else tempfile.TemporaryDirectory(prefix="hwnas-onnx-export-check-")
    scratch = args.scratch or holder.name
    os.makedirs(scratch, exist_ok=True)
    bin = os.path.abspath(args.bin)
    checkpoint = args.checkpoint or fine_tune(bin, args.steps, args.threads, os.path.join(scratch, "finetune"))
    with open(os.path.join(checkpoint, "model.safetensors"), "rb") as handle:
        import hashlib
        sha = hashlib.sha256(handle.read()).hexdigest()

    described = args.checkpoint or f"fine-tuned here ({args.steps} steps)"
    try:
        with open(os.path.join(checkpoint, "run.json")) as handle:
            run_record = json.load(handle)
        settings = run_record["settings"]
        described += (f": hwnas finetune --space {run_record['space']} --task {run_record['task']} --steps {run_record['stepsDone']}"
                      f" --batch {settings.get('batchSize')} --lr {settings.get('learningRate')} --seed {settings.get('seed')},"
                      f" dev accuracy {run_record['evaluations'][-1]['devAccuracy']:.2f}%")
    except (OSError, KeyError, IndexError, ValueError):
        pass
    minilm = check_minilm(bin, checkpoint, scratch, args.threads, args.data)
    seeded = (check_seeded(bin, "ofa-mbv3-w1.0", OFA, scratch) + check_seeded(bin, "vit-b16", VIT, scratch)
              + check_seeded(bin, "bert-base", BERT, scratch))
    version = run([bin, "--version"]).strip().removeprefix("hwnas ")
    report = {
        "schemaVersion": 1,
        "createdAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "hwnasVersion": version,
        "versions": {"onnxruntime": ort.__version__, "onnx": onnx.__version__, "numpy": np.__version__,
                     "python": platform.python_version()},
        "checkpoint": {"source": described, "sha256": sha},
        "bars": {"logitsRelative": LOGIT_BAR, "nativeAbsolute": NATIVE_BAR},
        "minilm": minilm,
        "seeded": seeded,
    }
    report["passed"] = all(e["passed"] for e in minilm + seeded)
    os.makedirs(args.out, exist_ok=True)
    for name, text in (("onnx-export.json", json.dumps(report, indent=2) + "\n"), ("onnx-export.md", render(report))):
        path = os.path.join(args.out, name)
        with open(path + ".tmp", "w") as handle:
            handle.write(text)
        os.replace(path + ".tmp", path)
    print(render(report))
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
