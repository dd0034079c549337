#!/usr/bin/env python3
"""ONNX Runtime's SkipLayerNormalization fusion against the unfused Add + LayerNormalization, on
hwnas's bert-base blocks, written to bench/results/ort-fusion.json and ort-fusion.md.

Why: the amd-zen4-t1-ort profile shows ONNX Runtime's embedding block at ~17x hwnas's, and its
per-node profile puts nearly all of it in one SkipLayerNormalization, the node ONNX Runtime's
graph optimiser makes of a residual Add followed by LayerNormalization (in the embedding, and
after every attention and FFN block). This measures what that fusion costs on the CPU at hand.

Protocol (fixed before the run): bert-base at sequence 128, batch 1; each block's ONNX model and
input are hwnas's own (`block-bench --dump`, seed 1); one thread pinned to PU 0; the session
options of hwnas's ONNX Runtime worker (intra-op 1, inter-op 1, sequential, ORT_ENABLE_ALL,
spinning off, denormals as zero); two sessions per block, the default and one with
`disabled_optimizers=["SkipLayerNormFusion"]`; inputs and output bound once; 5 rounds, each
timing every block's two sessions in turn (which first alternates by round), 100 calls each
after a warm-up, one clock reading around each call; a figure is the median of the round
medians. The outputs of the two sessions must agree within 1e-3.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import ort_bench
from ort_bench import np, onnx, ort

BLOCKS = ["embed-seq:128-hidden:768-vocab:30522", "mha-seq:128-hidden:768-heads:12", "ffn-seq:128-hidden:768-inter:3072"]
ROUNDS = 5
RUNS = 100
PU = 0
DISABLED = ["SkipLayerNormFusion"]


def fail(message):
    raise SystemExit(f"ort-fusion-bench: {message}")


def session(path, disabled, optimized_path):
    options = ort_bench.session_options(optimized_path=optimized_path)
    options.add_session_config_entry("session.set_denormal_as_zero", "1")
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"], disabled_optimizers=disabled)


def node_counts(path):
    counts = {}
    for node in onnx.load(path).graph.node:
        counts[node.op_type] = counts.get(node.op_type, 0) + 1
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--block-bench", default=".build/release/block-bench")
    parser.add_argument("--out", default="bench/results", help="folder of ort-fusion.json and ort-fusion.md")
    args = parser.parse_args()
    if not os.access(args.block_bench, os.X_OK):
        fail(f"{args.block_bench} is missing; build it (make bench-build)")
    os.sched_setaffinity(0, {PU})
    scratch = tempfile.TemporaryDirectory(prefix="hwnas-ort-fusion-")
    blocks = []
    for key in BLOCKS:
        directory = os.path.join(scratch.name, key.replace(":", "_"))
        command = [args.block_bench, f"--dump={key}", f"--out={directory}", "--space=bert-base", "--seq=128", "--batch=1"]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            fail(f"{' '.join(command)}: {done.stderr.strip()}")
        model = os.path.join(directory, ort_bench.read_dump_index(directory)["model"])
        feeds = ort_bench.dump_feeds(directory)
        variants = {}
        for name, disabled in (("fused", []), ("unfused", DISABLED)):
            optimized = os.path.join(directory, f"optimized-{name}.onnx")
            s = session(model, disabled, optimized)
            inputs = [i.name for i in s.get_inputs()]
            bound = feeds if set(inputs) == set(feeds) else {inputs[0]: next(iter(feeds.values()))}
            call, output = ort_bench.bound_call(s, bound)
            variants[name] = {"session": s, "call": call, "output": output, "nodes": node_counts(optimized), "rounds": []}
        difference = float(np.abs(variants["fused"]["output"].astype(np.float64) - variants["unfused"]["output"]).max())
        blocks.append({"key": key, "variants": variants, "maxAbsDifference": difference})
        print(f"ort-fusion-bench: {key}: fused graph {variants['fused']['nodes']}, unfused {variants['unfused']['nodes']}",
              file=sys.stderr, flush=True)
    load_before = os.getloadavg()
    for index in range(ROUNDS):
        order = ("fused", "unfused") if index % 2 == 0 else ("unfused", "fused")
        for block in blocks:
            for name in order:
                samples = ort_bench.plain_loop(block["variants"][name]["call"], RUNS)
                block["variants"][name]["rounds"].append(statistics.median(samples) * 1e3)
        print(f"ort-fusion-bench: round {index + 1} of {ROUNDS}", file=sys.stderr, flush=True)
    rows = []
    for block in blocks:
        fused = block["variants"]["fused"]
        unfused = block["variants"]["unfused"]
        row = {"key": block["key"],
               "fusedMs": statistics.median(fused["rounds"]), "unfusedMs": statistics.median(unfused["rounds"]),
               "fusedRoundsMs": fused["rounds"], "unfusedRoundsMs": unfused["rounds"],
               "fusedNodes": fused["nodes"], "unfusedNodes": unfused["nodes"],
               "maxAbsDifference": block["maxAbsDifference"], "outputsAgree": block["maxAbsDifference"] <= ort_bench.TOLERANCE}
        row["savedMs"] = row["fusedMs"] - row["unfusedMs"]
        row["ratio"] = row["fusedMs"] / row["unfusedMs"]
        rows.append(row)
    report = {
        "schemaVersion": 1,
        "createdAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "protocol": " ".join(__doc__.split("Protocol (fixed before the run): ")[1].split()),
        "rounds": ROUNDS, "runs": RUNS, "pu": PU, "disabledOptimizers": DISABLED,
        "loadAverageBefore": list(load_before), "loadAverageAfter": list(os.getloadavg()),
        "versions": {"onnxruntime": ort.__version__, "onnx": onnx.__version__, "numpy": np.__version__,
                     "python": platform.python_version()},
        "cpu": platform.processor() or platform.machine(),
        "blocks": rows,
    }
    os.makedirs(args.out, exist_ok=True)
    ort_bench.write(os.path.join(args.out, "ort-fusion.json"), json.dumps(report, indent=2) + "\n")
    markdown = render(report)
    ort_bench.write(os.path.join(args.out, "ort-fusion.md"), markdown)
    print(markdown)
    if not all(r["outputsAgree"] for r in rows):
        fail("the fused and unfused graphs' outputs differ by more than the tolerance")


def render(report):
    v = report["versions"]
    lines = [
        f"# ONNX Runtime {v['onnxruntime']}: SkipLayerNormalization fusion on bert-base blocks",
        "",
        f"Measured {report['createdAt']} (load average {report['loadAverageBefore'][0]:.2f} before, "
        f"{report['loadAverageAfter'][0]:.2f} after; onnx {v['onnx']}, numpy {v['numpy']}, Python {v['python']}). "
        f"Protocol: {report['protocol']}",
        "",
        "| block | default (fused) ms | SkipLayerNormFusion disabled ms | fused / unfused | saved ms | SkipLayerNormalization nodes | max abs diff |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in report["blocks"]:
        lines.append(f"| `{r['key']}` | {r['fusedMs']:.4f} | {r['unfusedMs']:.4f} | {r['ratio']:.2f} | {r['savedMs']:.4f} | "
                     f"{r['fusedNodes'].get('SkipLayerNormalization', 0)} | {r['maxAbsDifference']:.1e} |")
    lines += ["", "Round medians (ms) are in ort-fusion.json.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
