#!/usr/bin/env python3
"""Every block of an ONNX Runtime profile against the same block built in Python and timed by a
plain loop, written to bench/results/ort-blocks.json and ort-blocks.md.

- The profile: `hwnas profile --runtime onnxruntime` (e.g. profiles/<machine>-t1-ort/bert-base.profile.json);
  its entries are the blocks, its settings the space's input size, the batch, the threads, the
  PUs (`cores`) and the session options the worker ran with.
- For each entry, `block-bench --dump=KEY --space=S --seq=N --batch=B` writes the weights hwnas
  draws for the block from the seed the profiler uses (1), hwnas's input and output, and hwnas's
  own ONNX model of the block. The block is rebuilt in Python with the builders of
  scripts/ort_bench.py (independently of hwnas's ONNX builder); its output on hwnas's input
  must be within 1e-3 (absolute) of hwnas's native output and of hwnas's ONNX model's output.
- Both graphs then run in ONNX Runtime with the profile's session options, in this process,
  pinned to the profile's PUs: a warm-up, then `--runs` calls (100) with one perf_counter
  reading around each, inputs and output bound once; their median. `--rounds` (5) rounds visit
  every block in the same order; a block's figure is the median of its round medians, so a slow
  spell of the shared host moves one round, not the verdict. The bar: the profile's
  stats.medianMs within 5% of the Python graph's plain-loop median. hwnas's own graph timed the
  same way is reported beside it (not part of the bar): it tells a difference of graphs from
  a difference of measuring methods.
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

TIME_TOLERANCE = 0.05
OUTPUT_TOLERANCE = ort_bench.TOLERANCE
# The session options the worker records (OnnxRuntime.sessionOptions), as this check applies them.
FIXED_OPTIONS = {"interOpThreads": "1", "executionMode": "ORT_SEQUENTIAL", "graphOptimizationLevel": "ORT_ENABLE_ALL",
                 "providers": "CPUExecutionProvider"}


def fail(message):
    raise SystemExit(f"ort-block-check: {message}")


def log(message):
    print(f"ort-block-check: {message}", file=sys.stderr, flush=True)


def read_profile(path):
    try:
        with open(path) as handle:
            profile = json.load(handle)
    except (OSError, json.JSONDecodeError) as error:
        fail(f"cannot read the profile {path}: {error}")
    settings = profile.get("settings") or {}
    runtime = settings.get("runtime") or {}
    if runtime.get("name") != "onnxruntime":
        fail(f"{path} was measured with the runtime {runtime.get('name')!r}, not onnxruntime "
             f"(make one with hwnas profile --runtime onnxruntime)")
    if not profile.get("entries"):
        fail(f"{path} has no entries")
    for field in ("threads", "cores", "batch"):
        if field not in settings:
            fail(f"{path}: settings.{field} is missing")
    return profile


def session_options(recorded, threads, path):
    """The profile's session options, refused where they are not the ones this check applies."""
    for name, value in FIXED_OPTIONS.items():
        if recorded.get(name) != value:
            fail(f"{path}: settings.runtime.options.{name} is {recorded.get(name)!r}; this check runs {value!r}")
    intra = recorded.get("intraOpThreads")
    if intra != str(threads):
        fail(f"{path}: settings.runtime.options.intraOpThreads is {intra!r} but settings.threads is {threads}")
    options = ort_bench.session_options(threads=threads)
    entries = {name: value for name, value in recorded.items() if name.startswith("session.")}
    for name, value in entries.items():
        options.add_session_config_entry(name, value)
    return options, entries


def max_abs_difference(a, b):
    if list(a.shape) != list(b.shape):
        return float("inf")
    return float(np.abs(a.astype(np.float64) - b.astype(np.float64)).max()) if a.size else 0.0


def summary(samples):
    ms = sorted(s * 1e3 for s in samples)
    return {"medianMs": statistics.median(ms), "p10Ms": ms[len(ms) // 10], "p90Ms": ms[(9 * len(ms)) // 10],
            "minMs": ms[0], "n": len(ms)}


def prepare_block(entry, dump_args, block_bench, scratch, options):
    """The block's two graphs loaded and bound, and their outputs checked against hwnas's."""
    key = entry["key"]
    directory = os.path.join(scratch, key.replace(":", "_"))
    command = [block_bench, f"--dump={key}", f"--out={directory}", *dump_args]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        fail(f"{' '.join(command)} failed for block {key}: {done.stderr.strip()}")
    spec, parameters, _, expected = ort_bench.load_dump(directory)
    if spec["kind"] not in ort_bench.BUILDERS:
        fail(f"block {key}: no Python builder for kind {spec['kind']!r}")
    feeds = ort_bench.dump_feeds(directory)
    model = ort_bench.BUILDERS[spec["kind"]](spec, parameters)
    python_session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    python_call, python_output = ort_bench.bound_call(python_session, feeds)
    hwnas_session = ort.InferenceSession(os.path.join(directory, ort_bench.read_dump_index(directory)["model"]), options,
                                         providers=["CPUExecutionProvider"])
    hwnas_inputs = [i.name for i in hwnas_session.get_inputs()]
    if len(hwnas_inputs) == 1 and len(feeds) == 1:
        hwnas_feeds = {hwnas_inputs[0]: next(iter(feeds.values()))}
    elif set(hwnas_inputs) == set(feeds):
        hwnas_feeds = feeds
    else:
        fail(f"block {key}: hwnas's model reads {hwnas_inputs}, the Python graph {sorted(feeds)}")
    hwnas_call, hwnas_output = ort_bench.bound_call(hwnas_session, hwnas_feeds)

    versus_native = max_abs_difference(python_output, expected)
    versus_hwnas_graph = max_abs_difference(python_output, hwnas_output)
    return {
        "entry": entry, "kind": spec["kind"],
        # The sessions stay alive with their calls: every round times the same loaded graphs.
        "sessions": (python_session, hwnas_session),
        "pythonCall": python_call, "hwnasCall": hwnas_call,
        "maxAbsDifferenceNative": versus_native, "maxAbsDifferenceHwnasGraph": versus_hwnas_graph,
        "maxAbsNativeOutput": float(np.abs(expected).max()) if expected.size else 0.0,
        "outputPassed": versus_native <= OUTPUT_TOLERANCE and versus_hwnas_graph <= OUTPUT_TOLERANCE,
    }


def time_rounds(blocks, runs, rounds):
    """Each round times every block's Python graph, then its hwnas graph, `runs` calls each (a
    plain loop: one median per graph per round); the blocks are visited in the same order in
    every round, so a slow spell of the host lands on all of them rather than on one block."""
    for block in blocks:
        block["pythonRounds"], block["hwnasRounds"] = [], []
    for index in range(rounds):
        for block in blocks:
            block["pythonRounds"].append(summary(ort_bench.plain_loop(block["pythonCall"], runs)))
            block["hwnasRounds"].append(summary(ort_bench.plain_loop(block["hwnasCall"], runs)))
        log(f"round {index + 1} of {rounds} timed")


def result_of(block):
    entry = block["entry"]
    python_medians = [r["medianMs"] for r in block["pythonRounds"]]
    hwnas_medians = [r["medianMs"] for r in block["hwnasRounds"]]
    plain_ms = statistics.median(python_medians)
    hwnas_ms = statistics.median(hwnas_medians)
    profile_ms = entry["stats"]["medianMs"]
    ratio = profile_ms / plain_ms
    time_passed = abs(ratio - 1) <= TIME_TOLERANCE
    return {
        "key": entry["key"], "kind": block["kind"],
        "profileMedianMs": profile_ms, "profileN": entry["stats"].get("n"),
        "profileCallsPerSample": entry["stats"].get("callsPerSample"),
        "plainLoop": {"medianMs": plain_ms, "roundMediansMs": python_medians,
                      "spread": max(python_medians) / min(python_medians) - 1, "rounds": block["pythonRounds"]},
        "hwnasGraphPlainLoop": {"medianMs": hwnas_ms, "roundMediansMs": hwnas_medians,
                                "spread": max(hwnas_medians) / min(hwnas_medians) - 1, "rounds": block["hwnasRounds"]},
        "ratio": ratio, "timePassed": time_passed,
        "hwnasGraphRatio": profile_ms / hwnas_ms,
        "maxAbsDifferenceNative": block["maxAbsDifferenceNative"],
        "maxAbsDifferenceHwnasGraph": block["maxAbsDifferenceHwnasGraph"],
        "maxAbsNativeOutput": block["maxAbsNativeOutput"],
        "outputPassed": block["outputPassed"],
        "passed": time_passed and block["outputPassed"],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profile", required=True, help="an ONNX Runtime profile (hwnas profile --runtime onnxruntime)")
    parser.add_argument("--bin", default=".build/release/block-bench", help="block-bench")
    parser.add_argument("--out", default="bench/results/ort-blocks.json", help="the JSON report; the table goes beside it (.md)")
    parser.add_argument("--runs", type=int, default=100, help="timed calls per graph per round after the warm-up")
    parser.add_argument("--rounds", type=int, default=5, help="rounds over all blocks; a block's figure is the median of its round medians")
    parser.add_argument("--keys", help="comma-separated block keys (default: every entry of the profile)")
    parser.add_argument("--replace", action="store_true", help="replace an existing report")
    parser.add_argument("--scratch", help="folder for the dumps (default: a temporary one)")
    args = parser.parse_args()

    if args.runs < 1:
        fail("--runs must be at least 1")
    if args.rounds < 1:
        fail("--rounds must be at least 1")
    if not os.access(args.bin, os.X_OK):
        fail(f"{args.bin} is missing; build it (make bench-build) or pass --bin")
    markdown_path = os.path.splitext(args.out)[0] + ".md"
    for path in (args.out, markdown_path):
        if os.path.exists(path) and not args.replace:
            fail(f"{path} exists; pass --replace to replace it (measured results are not overwritten silently)")

    profile = read_profile(args.profile)
    settings = profile["settings"]
    runtime = settings["runtime"]
    if runtime.get("version") != ort.__version__:
        fail(f"{args.profile} was measured with ONNX Runtime {runtime.get('version')}, this Python "
             f"({sys.executable}) has {ort.__version__}: the comparison needs the same version")
    threads = int(settings["threads"])
    options, config_entries = session_options(runtime.get("options") or {}, threads, args.profile)
    cores = sorted(int(c) for c in settings["cores"])
    if len(cores) != threads:
        log(f"note: the profile ran {threads} threads on PUs {cores}")
    # Before any session exists: the threads ONNX Runtime starts inherit these PUs.
    os.sched_setaffinity(0, set(cores))

    dump_args = [f"--space={profile['space']}", f"--batch={settings['batch']}"]
    if settings.get("sequence") is not None:
        dump_args.append(f"--seq={settings['sequence']}")
    if settings.get("resolutions"):
        dump_args.append("--resolutions=" + ",".join(str(r) for r in settings["resolutions"]))
    entries = profile["entries"]
    if args.keys:
        wanted = args.keys.split(",")
        unknown = [k for k in wanted if k not in {e["key"] for e in entries}]
        if unknown:
            fail(f"{args.profile} has no entries {unknown}")
        entries = [e for e in entries if e["key"] in wanted]

    listing = subprocess.run([args.bin, "--peer-blocks"], capture_output=True, text=True)
    if listing.returncode != 0:
        fail(f"{args.bin} --peer-blocks failed: {listing.stderr.strip()}")
    build = json.loads(listing.stdout)["build"]

    holder = None if args.scratch else tempfile.TemporaryDirectory(prefix="hwnas-ort-block-check-")
    scratch = args.scratch or holder.name
    os.makedirs(scratch, exist_ok=True)
    load_before = os.getloadavg()
    started = time.time()
    blocks = []
    for entry in entries:
        blocks.append(prepare_block(entry, dump_args, args.bin, scratch, options))
        log(f"{entry['key']}: loaded, output within {blocks[-1]['maxAbsDifferenceNative']:.1e} of hwnas's")
    time_rounds(blocks, args.runs, args.rounds)
    results = []
    for block in blocks:
        result = result_of(block)
        failures = [what for what, ok in (("time", result["timePassed"]), ("output", result["outputPassed"])) if not ok]
        log(f"{result['key']}: profile {result['profileMedianMs']:.4f} ms, plain loop "
            f"{result['plainLoop']['medianMs']:.4f} ms (ratio {result['ratio']:.3f}; rounds spread "
            f"{result['plainLoop']['spread']:.1%}), output within {result['maxAbsDifferenceNative']:.1e} of hwnas's: "
            f"{'FAIL (' + ', '.join(failures) + ')' if failures else 'pass'}")
        results.append(result)
    elapsed = time.time() - started

    report = {
        "schemaVersion": 2,
        "createdAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "profile": {"path": args.profile, "device": profile.get("device"), "space": profile.get("space"),
                    "createdAt": profile.get("createdAt"), "sequence": settings.get("sequence"),
                    "batch": settings["batch"], "threads": threads, "cores": cores,
                    "budget": settings.get("budget"), "runtimeVersion": runtime.get("version"),
                    "noise": profile.get("noise")},
        "sessionOptions": {"intraOpThreads": threads, **FIXED_OPTIONS, **config_entries,
                           "call": "run_with_iobinding, inputs and output bound once"},
        "method": (f"per block: hwnas's weights (seed 1), input and output from block-bench --dump; the block rebuilt "
                   f"in Python (scripts/ort_bench.py); both it and hwnas's ONNX model loaded with the profile's "
                   f"session options in one process pinned to the profile's PUs; a warm-up of at least "
                   f"{ort_bench.WARMUP_CALLS} calls and {ort_bench.WARMUP_SECONDS} s, then {args.runs} calls with one "
                   f"perf_counter reading around each, their median; {args.rounds} rounds, each visiting every block "
                   f"in the same order (Python graph, then hwnas's); a block's figure is the median of its round "
                   f"medians. ratio = profile median / that figure for the Python graph"),
        "runs": args.runs,
        "rounds": args.rounds,
        "bars": {"time": f"ratio within 1 +- {TIME_TOLERANCE}", "output": f"max abs difference <= {OUTPUT_TOLERANCE}"},
        "elapsedSeconds": round(elapsed, 1),
        "loadAverageBefore": list(load_before), "loadAverageAfter": list(os.getloadavg()),
        "hwnas": build,
        "versions": {"onnxruntime": ort.__version__, "onnx": onnx.__version__, "numpy": np.__version__,
                     "python": platform.python_version()},
        "blocks": results,
        "passed": all(r["passed"] for r in results),
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    ort_bench.write(args.out, json.dumps(report, indent=2) + "\n")
    markdown = render(report)
    ort_bench.write(markdown_path, markdown)
    print(markdown)
    failed = [r["key"] for r in results if not r["passed"]]
    if failed:
        fail(f"{len(failed)} of {len(results)} blocks fail: {', '.join(failed)}")


def render(report):
    p = report["profile"]
    v = report["versions"]
    entries = ", ".join(f"{k} {v}" for k, v in report["sessionOptions"].items() if k.startswith("session."))
    lines = [
        f"# ONNX Runtime profile against a plain loop: {p['device']} {p['space']}",
        "",
        f"Checked {report['createdAt']} ({report['elapsedSeconds']} s; load average {report['loadAverageBefore'][0]:.2f} "
        f"before, {report['loadAverageAfter'][0]:.2f} after): the profile {p['path']} (measured {p['createdAt']}, {p['budget']} budget, "
        f"sequence {p['sequence']}, batch {p['batch']}, {p['threads']} thread{'s' if p['threads'] != 1 else ''} on PU "
        f"{','.join(map(str, p['cores']))}, ONNX Runtime {p['runtimeVersion']}). Plain loop: ONNX Runtime "
        f"{v['onnxruntime']} (onnx {v['onnx']}, numpy {v['numpy']}, Python {v['python']}), the profile's session "
        f"options ({entries}), pinned to the same PUs, {report['runs']} calls after a warm-up, one clock reading "
        f"around each, their median; {report['rounds']} rounds over all blocks, a block's figure the median of its "
        f"round medians (spread: largest round median over the smallest, minus 1).",
        "",
        "| block | profile ms | plain loop ms | rounds spread | profile / plain | hwnas graph plain loop ms | "
        "max abs diff (native) | max abs diff (hwnas graph) | pass |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for b in report["blocks"]:
        lines.append(
            f"| `{b['key']}` | {b['profileMedianMs']:.4f} | {b['plainLoop']['medianMs']:.4f} | "
            f"{b['plainLoop']['spread']:.1%} | {b['ratio']:.3f} | "
            f"{b['hwnasGraphPlainLoop']['medianMs']:.4f} | {b['maxAbsDifferenceNative']:.1e} | "
            f"{b['maxAbsDifferenceHwnasGraph']:.1e} | {'yes' if b['passed'] else 'NO'} |")
    passed = sum(r["passed"] for r in report["blocks"])
    lines += [
        "",
        f"The bar: the profile's median within {TIME_TOLERANCE:.0%} of the plain-loop median of the block rebuilt "
        f"in Python (scripts/ort_bench.py), and that graph's output on hwnas's input within {OUTPUT_TOLERANCE} "
        f"(absolute) of hwnas's native output and of hwnas's own ONNX model's. hwnas's own graph timed by the "
        f"same loop is shown beside it, outside the bar. {passed} of {len(report['blocks'])} blocks pass.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
