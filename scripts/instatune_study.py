"""The InstaTune study's sub-network lists and its report (see scripts/instatune-study).

  instatune_study.py subnets --count N --seed S [--random-only] --out FILE
      minilm-l6 sub-networks as JSON lines, distinct as networks (the slots of layers beyond
      num_layers do not count): the largest, the smallest and N random ones; with --random-only,
      N in all, the smallest and the largest among them.
  instatune_study.py report --root DIR --device ID --out FILE.json --markdown FILE.md
      Every figure of the study from the files hwnas wrote under DIR, with 95% bootstrap
      intervals over the dev sentences (1,000 resamples, seed 0; each resample draws the
      sentences with replacement and every sub-network's accuracy is recomputed on it, from the
      per-sentence results hwnas recorded).
"""
import argparse
import json
import os
import random
import sys

HEADS = [4, 6, 8, 12]
WIDTHS = [384, 768, 1152, 1536]
RUNS = ["plain", "instatune-uniform", "instatune-latency"]
BUDGETS = [0.25, 0.5, 0.75]
RESAMPLES = 1000
ACCURACY_FLOOR = 50.0


def network(subnet):
    layers = subnet["num_layers"] if isinstance(subnet["num_layers"], int) else subnet["num_layers"][0]
    return (layers, tuple(subnet["num_attention_heads"][:layers]), tuple(subnet["intermediate_size"][:layers]))


def uniform(layers, heads, width):
    return {"num_layers": layers, "num_attention_heads": [heads] * 6, "intermediate_size": [width] * 6}


def subnets(args):
    rng = random.Random(args.seed)
    largest, smallest = uniform(6, 12, 1536), uniform(2, 4, 384)
    chosen = [smallest, largest] if args.random_only else [largest, smallest]
    total = args.count if args.random_only else args.count + 2
    seen = {network(s) for s in chosen}
    while len(chosen) < total:
        s = {"num_layers": rng.randint(2, 6), "num_attention_heads": [rng.choice(HEADS) for _ in range(6)],
             "intermediate_size": [rng.choice(WIDTHS) for _ in range(6)]}
        if network(s) not in seen:
            seen.add(network(s))
            chosen.append(s)
    with open(args.out + ".part", "w") as f:
        for s in chosen[:total]:
            f.write(json.dumps(s) + "\n")
    os.replace(args.out + ".part", args.out)


def bits(hexadecimal, count):
    import numpy as np
    raw = np.frombuffer(bytes.fromhex(hexadecimal), dtype=np.uint8)
    return np.unpackbits(raw, bitorder="little")[:count].astype(bool)


def hypervolume(points, reference_latency, floor=ACCURACY_FLOOR):
    """Area dominated by (latency, accuracy) points, latency minimised and accuracy maximised,
    within latency <= reference_latency and accuracy >= floor."""
    inside = sorted((lat, acc) for lat, acc in points if lat <= reference_latency and acc > floor)
    area, best = 0.0, floor
    for i, (lat, acc) in enumerate(inside):
        best = max(best, acc)
        right = inside[i + 1][0] if i + 1 < len(inside) else reference_latency
        area += (right - lat) * (best - floor)
    return area


def best_within(points, budget):
    values = [acc for lat, acc in points if lat <= budget]
    return max(values) if values else None


def interval(values):
    import numpy as np
    values = np.asarray([v for v in values if v is not None], dtype=float)
    if values.size == 0:
        return None
    return [float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))]


def report(args):
    import numpy as np
    root, device = args.root, args.device
    load = lambda path: json.load(open(os.path.join(root, path)))
    rng = np.random.default_rng(0)
    compare = {name: load(f"compare-{name}.json") for name in RUNS}
    n = compare["plain"][0]["examples"]
    weights = rng.multinomial(n, [1.0 / n] * n, size=RESAMPLES).T.astype(float) / n  # n x B

    def accuracies(rows):
        """(point estimates, resampled: rows x B)."""
        matrix = np.stack([bits(r["correctBits"], n) for r in rows]).astype(float)
        return np.array([r["measuredAccuracy"] for r in rows]), 100.0 * matrix @ weights

    result = {"device": device, "devSentences": n, "resamples": RESAMPLES, "runs": {}, "subnetworks": {}, "fronts": {}, "loops": {}}
    for name in RUNS:
        run = load(f"runs/{name}/run.json")
        result["runs"][name] = {
            "steps": run["stepsDone"], "samplesPerSecond": run["samplesPerSecond"], "elapsedSeconds": run["elapsedSeconds"],
            "evaluations": run["evaluations"],
        }
    estimates = {name: accuracies(compare[name]) for name in RUNS}
    for name in RUNS:
        point, resampled = estimates[name]
        result["runs"][name]["fullNetworkDevAccuracy"] = float(point[0])
        result["runs"][name]["fullNetworkInterval"] = interval(resampled[0])
    plain_point, plain_resampled = estimates["plain"]
    for name in RUNS[1:]:
        point, resampled = estimates[name]
        gaps, gaps_resampled = point[1:] - plain_point[1:], resampled[1:] - plain_resampled[1:]
        result["subnetworks"][name] = {
            "against": "plain",
            "subnetworks": len(gaps),
            "fullNetworkDifference": float(point[0] - plain_point[0]),
            "fullNetworkDifferenceInterval": interval(resampled[0] - plain_resampled[0]),
            "meanGap": float(gaps.mean()), "meanGapInterval": interval(gaps_resampled.mean(axis=0)),
            "minimumGap": float(gaps.min()), "minimumGapInterval": interval(gaps_resampled.min(axis=0)),
            "smallestGap": float(gaps[0]), "smallestGapInterval": interval(gaps_resampled[0]),
            "gapDefinition": "dev accuracy of the sub-network sliced from this run minus the same sub-network sliced from the plain fine-tune, percentage points",
        }
    latency_run = load("runs/instatune-latency/run.json")
    low, high = latency_run["instaTune"]["sampler"]["rangeMs"]
    budgets = [low + f * (high - low) for f in BUDGETS]
    result["latencyRangeMs"] = [low, high]
    result["hypervolumeReference"] = {"latencyMs": high, "accuracy": ACCURACY_FLOOR}
    result["budgetsMs"] = budgets
    front_resampled = {}
    for name in RUNS:
        rows = load(f"front-dev-{name}.json")
        point, resampled = accuracies(rows)
        latencies = [r["predictedLatencyMs"] for r in rows]
        front_resampled[name] = (latencies, resampled)
        hv = hypervolume(list(zip(latencies, point)), high)
        hv_resampled = [hypervolume(list(zip(latencies, resampled[:, b])), high) for b in range(RESAMPLES)]
        at = [best_within(list(zip(latencies, point)), budget) for budget in budgets]
        at_resampled = [[best_within(list(zip(latencies, resampled[:, b])), budget) for b in range(RESAMPLES)] for budget in budgets]
        result["fronts"][name] = {
            "members": len(rows), "hypervolume": hv, "hypervolumeInterval": interval(hv_resampled),
            "accuracyAtBudgets": at, "accuracyAtBudgetsIntervals": [interval(v) for v in at_resampled],
        }
        loop = load(f"search-{name}/minilm-l6/{device}.loop.json")
        result["loops"][name] = [{"round": r["round"], "fittedOn": r["fittedOn"], "measured": r["measured"],
                                  "kendallTau": r["kendallTau"], "meanAbsoluteError": r["meanAbsoluteError"]} for r in loop["roundsDone"]]
    (lu, ru), (ll, rl) = front_resampled["instatune-uniform"], front_resampled["instatune-latency"]
    difference = [hypervolume(list(zip(ll, rl[:, b])), high) - hypervolume(list(zip(lu, ru[:, b])), high) for b in range(RESAMPLES)]
    hv_l, hv_u = result["fronts"]["instatune-latency"]["hypervolume"], result["fronts"]["instatune-uniform"]["hypervolume"]
    result["latencyVersusUniform"] = {
        "hypervolumeDifference": hv_l - hv_u, "hypervolumeDifferenceInterval": interval(difference),
        "winner": "instatune-latency" if hv_l > hv_u else "instatune-uniform" if hv_u > hv_l else "tie",
    }
    with open(args.out + ".part", "w") as f:
        json.dump(result, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(args.out + ".part", args.out)
    with open(args.markdown, "w") as f:
        f.write(markdown(result))
    print(markdown(result))


def fmt(value, ci=None, digits=2):
    if value is None:
        return "none"
    text = f"{value:.{digits}f}"
    return text + (f" [{ci[0]:.{digits}f}, {ci[1]:.{digits}f}]" if ci else "")


def markdown(r):
    lines = [f"# InstaTune study on {r['device']}", "",
             f"Dev accuracy in percent on {r['devSentences']} SST-2 dev sentences; brackets: 95% bootstrap intervals "
             f"({r['resamples']} resamples of the sentences).", "",
             "| run | steps | full network | samples/s |", "|---|---:|---:|---:|"]
    for name, run in r["runs"].items():
        lines.append(f"| {name} | {run['steps']} | {fmt(run['fullNetworkDevAccuracy'], run['fullNetworkInterval'])} | {run['samplesPerSecond']:.1f} |")
    lines += ["", "Sliced sub-networks (the smallest and the random ones) against the same ones sliced from the plain fine-tune "
              "(points; positive: the super-network is better):", "",
              "| run | full-network difference | mean gap | minimum gap | smallest |", "|---|---:|---:|---:|---:|"]
    for name, s in r["subnetworks"].items():
        lines.append(f"| {name} | {fmt(s['fullNetworkDifference'], s['fullNetworkDifferenceInterval'])} | {fmt(s['meanGap'], s['meanGapInterval'])} | "
                     f"{fmt(s['minimumGap'], s['minimumGapInterval'])} | {fmt(s['smallestGap'], s['smallestGapInterval'])} |")
    low, high = r["latencyRangeMs"]
    budgets = ", ".join(f"{b:.2f} ms" for b in r["budgetsMs"])
    lines += ["", f"Fronts searched on val (the loop), measured on dev; latency from {r['device']}'s table (range {low:.2f}..{high:.2f} ms); "
              f"hypervolume above {r['hypervolumeReference']['accuracy']:.0f}% up to {high:.2f} ms, in points x ms; budgets {budgets}:", "",
              "| run | members | hypervolume | at budget 1 | at budget 2 | at budget 3 |", "|---|---:|---:|---:|---:|---:|"]
    for name, f_ in r["fronts"].items():
        cells = [fmt(a, ci) for a, ci in zip(f_["accuracyAtBudgets"], f_["accuracyAtBudgetsIntervals"])]
        lines.append(f"| {name} | {f_['members']} | {fmt(f_['hypervolume'], f_['hypervolumeInterval'])} | " + " | ".join(cells) + " |")
    v = r["latencyVersusUniform"]
    lines += ["", f"Latency-steered minus uniform hypervolume: {fmt(v['hypervolumeDifference'], v['hypervolumeDifferenceInterval'])}; "
              f"larger: {v['winner']}.", "", "The loop (on val): the predictor's Kendall tau on the front members it had not seen, per round:", ""]
    for name, rounds in r["loops"].items():
        taus = ", ".join("n/a" if x["kendallTau"] is None else f"{x['kendallTau']:.3f}" for x in rounds)
        lines.append(f"- {name}: {taus}")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    s = commands.add_parser("subnets")
    s.add_argument("--count", type=int, required=True)
    s.add_argument("--seed", type=int, required=True)
    s.add_argument("--random-only", action="store_true")
    s.add_argument("--out", required=True)
    r = commands.add_parser("report")
    r.add_argument("--root", required=True)
    r.add_argument("--device", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--markdown", required=True)
    args = parser.parse_args()
    subnets(args) if args.command == "subnets" else report(args)


if __name__ == "__main__":
    main()
