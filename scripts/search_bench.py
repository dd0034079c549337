"""hwnas NSGA-II against pymoo's on the standard test problems (see scripts/search-bench)."""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import time

import numpy as np
import pymoo
from pymoo.algorithms.moo.nsga2 import NSGA2
from pymoo.indicators.hv import HV
from pymoo.optimize import minimize
from pymoo.problems import get_problem

POPULATION = 100
GENERATIONS = 200
SEEDS = list(range(1, 12))
HYPERVOLUME_BAR = 0.99
SPEEDUP_BAR = 20.0

# name in hwnas -> (pymoo problem, reference point). DTLZ2 with k = 10 (12 variables), as hwnas.
PROBLEMS = {
    "zdt1": (lambda: get_problem("zdt1"), [1.1, 1.1]),
    "zdt2": (lambda: get_problem("zdt2"), [1.1, 1.1]),
    "dtlz2": (lambda: get_problem("dtlz2", n_var=12, n_obj=3), [1.1, 1.1, 1.1]),
}


def run_pymoo(problem, seed):
    algorithm = NSGA2(pop_size=POPULATION, eliminate_duplicates=True)
    start = time.perf_counter()
    result = minimize(problem, algorithm, ("n_gen", GENERATIONS), seed=seed, verbose=False)
    seconds = time.perf_counter() - start
    return result.F, seconds, result.algorithm.evaluator.n_eval


# The search calls no BLAS, but OpenBLAS (linked for the profiler) starts a worker thread at
# load that spins on sched_yield for its first ~0.1 s, which is the whole of a run: one thread
# keeps it from starting, as pymoo's warmed-up process has its BLAS workers asleep.
HWNAS_ENVIRONMENT = {"OPENBLAS_NUM_THREADS": "1"}


def run_hwnas(binary, name, seed):
    out = subprocess.run(
        [binary, "search", "--problem", name, "--population", str(POPULATION),
         "--generations", str(GENERATIONS), "--seed", str(seed), "--json"],
        check=True, capture_output=True, text=True, env={**os.environ, **HWNAS_ENVIRONMENT})
    report = json.loads(out.stdout)
    return np.array(report["front"]), report


def median_ratio(numerators, denominators):
    return statistics.median(numerators) / statistics.median(denominators)


def bench_problem(binary, name):
    make_problem, reference = PROBLEMS[name]
    problem = make_problem()
    indicator = HV(ref_point=np.array(reference))
    runs = []
    for seed in SEEDS:
        # Interleaved, so that a slow phase of the machine hits both.
        front, pymoo_seconds, pymoo_evaluations = run_pymoo(problem, seed)
        hwnas_front, report = run_hwnas(binary, name, seed)
        hwnas_hv = float(indicator(hwnas_front))
        runs.append({
            "seed": seed,
            "pymoo": {"hypervolume": float(indicator(front)), "seconds": pymoo_seconds,
                      "frontSize": len(front), "evaluations": int(pymoo_evaluations)},
            "hwnas": {"hypervolume": hwnas_hv, "ownHypervolume": report["hypervolume"],
                      "seconds": report["elapsedSeconds"], "frontSize": len(hwnas_front),
                      "evaluations": report["evaluations"]},
        })
        print(f"  {name} seed {seed:2d}: pymoo HV {runs[-1]['pymoo']['hypervolume']:.5f} in {pymoo_seconds:.3f} s, "
              f"hwnas HV {hwnas_hv:.5f} in {report['elapsedSeconds'] * 1000:.1f} ms", flush=True)
    pymoo_hv = [r["pymoo"]["hypervolume"] for r in runs]
    hwnas_hv = [r["hwnas"]["hypervolume"] for r in runs]
    pymoo_s = [r["pymoo"]["seconds"] for r in runs]
    hwnas_s = [r["hwnas"]["seconds"] for r in runs]
    agreement = max(abs(r["hwnas"]["hypervolume"] - r["hwnas"]["ownHypervolume"]) for r in runs)
    summary = {
        "reference": reference,
        "pymooProblem": {"nVar": int(problem.n_var), "nObj": int(problem.n_obj)},
        "medianHypervolume": {"pymoo": statistics.median(pymoo_hv), "hwnas": statistics.median(hwnas_hv)},
        "medianSeconds": {"pymoo": statistics.median(pymoo_s), "hwnas": statistics.median(hwnas_s)},
        # Ratios of the medians (the seeds of two generators do not pair up); the median of
        # per-seed ratios is given too.
        "hypervolumeRatio": median_ratio(hwnas_hv, pymoo_hv),
        "medianOfSeedHypervolumeRatios": statistics.median(h / p for h, p in zip(hwnas_hv, pymoo_hv)),
        "speedup": median_ratio(pymoo_s, hwnas_s),
        "hwnasOwnHypervolumeMaxDifference": agreement,
        "runs": runs,
    }
    summary["met"] = summary["hypervolumeRatio"] >= HYPERVOLUME_BAR and summary["speedup"] >= SPEEDUP_BAR
    return summary


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


SPACE_SEARCH = {
    "space": "ofa-mbv3-w1.0",
    "device": "amd-zen3-t1",
    "objectives": ["accuracy", "latency"],
    "predictor": "predictors/ofa-mbv3-w1.0.predictor.json",
}
SPACE_SEARCH_BAR_SECONDS = 3.0


def run_space_search(binary, algorithm, seed, folder):
    command = [binary, "search", "--space", SPACE_SEARCH["space"], "--device", SPACE_SEARCH["device"],
               "--objectives", ",".join(SPACE_SEARCH["objectives"]), "--predictor", SPACE_SEARCH["predictor"],
               "--algorithm", algorithm, "--population", str(POPULATION), "--generations", str(GENERATIONS),
               "--seed", str(seed), "--results-dir", folder, "--json", "--quiet"]
    start = time.perf_counter()
    out = subprocess.run(command, check=True, capture_output=True, text=True, env={**os.environ, **HWNAS_ENVIRONMENT})
    wall = time.perf_counter() - start
    pareto = json.loads(out.stdout)[0]
    # Minimised form: accuracy negated, latency as is.
    front = np.array([[-m["values"]["accuracy"], m["values"]["latency"]] for m in pareto["front"]])
    return front, pareto["elapsedSeconds"], wall, pareto["settings"]["evaluations"]


def search_spaces(binary):
    """NSGA-II against random search with the same evaluations on ofa-mbv3-w1.0 (predicted
    accuracy from the shipped predictor, latency from the shipped amd-zen3-t1 table), 11 seeds;
    both scored at one reference point: the worst of all final fronts plus 10% of the range."""
    import tempfile
    runs = {"nsga2": [], "random": []}
    with tempfile.TemporaryDirectory() as folder:
        for seed in SEEDS:
            for algorithm in runs:
                front, seconds, wall, evaluations = run_space_search(binary, algorithm, seed, folder)
                runs[algorithm].append({"seed": seed, "front": front, "searchSeconds": seconds,
                                        "processSeconds": wall, "evaluations": evaluations})
    everything = np.vstack([r["front"] for rs in runs.values() for r in rs])
    worst, best = everything.max(axis=0), everything.min(axis=0)
    reference = worst + 0.1 * (worst - best)
    indicator = HV(ref_point=reference)
    report = {"space": SPACE_SEARCH["space"], "device": SPACE_SEARCH["device"],
              "objectives": SPACE_SEARCH["objectives"], "predictor": SPACE_SEARCH["predictor"],
              "population": POPULATION, "generations": GENERATIONS, "seeds": SEEDS,
              "reference": {"accuracy": float(-reference[0]), "latencyMs": float(reference[1]),
                            "how": "worst of all final fronts plus 10% of the range"}}
    for algorithm, rs in runs.items():
        volumes = [float(indicator(r["front"])) for r in rs]
        report[algorithm] = {
            "hypervolume": volumes, "medianHypervolume": statistics.median(volumes),
            "frontSizes": [len(r["front"]) for r in rs],
            "evaluations": rs[0]["evaluations"],
            "medianSearchSeconds": statistics.median(r["searchSeconds"] for r in rs),
            "maxProcessSeconds": max(r["processSeconds"] for r in rs),
        }
    report["hypervolumeRatioNsga2OverRandom"] = report["nsga2"]["medianHypervolume"] / report["random"]["medianHypervolume"]
    report["nsga2BeatsRandomOnEverySeed"] = all(a > b for a, b in zip(report["nsga2"]["hypervolume"], report["random"]["hypervolume"]))
    report["barSeconds"] = SPACE_SEARCH_BAR_SECONDS
    report["met"] = (report["hypervolumeRatioNsga2OverRandom"] > 1
                     and report["nsga2"]["maxProcessSeconds"] < SPACE_SEARCH_BAR_SECONDS)
    print(f"search-bench: {SPACE_SEARCH['space']} on {SPACE_SEARCH['device']}: median HV NSGA-II "
          f"{report['nsga2']['medianHypervolume']:.4f} vs random {report['random']['medianHypervolume']:.4f} "
          f"({report['hypervolumeRatioNsga2OverRandom']:.3f}x); search {report['nsga2']['medianSearchSeconds']:.2f} s, "
          f"whole command at most {report['nsga2']['maxProcessSeconds']:.2f} s", flush=True)
    return report


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hwnas", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--problems", default=",".join(PROBLEMS), help="comma-separated subset")
    parser.add_argument("--skip-spaces", action="store_true", help="test problems only")
    args = parser.parse_args()
    # Warm up pymoo (imports, first allocations) outside the timed runs.
    minimize(get_problem("zdt1"), NSGA2(pop_size=20), ("n_gen", 3), seed=1, verbose=False)
    version = subprocess.run([args.hwnas, "--version"], check=True, capture_output=True, text=True).stdout.strip()
    load_before = os.getloadavg()
    problems = {}
    for name in args.problems.split(","):
        print(f"search-bench: {name}, population {POPULATION}, {GENERATIONS} generations, seeds {SEEDS[0]}..{SEEDS[-1]}", flush=True)
        problems[name] = bench_problem(args.hwnas, name)
    spaces = search_spaces(args.hwnas) if not args.skip_spaces else None
    report = {
        "schemaVersion": 1,
        "createdAt": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": {"arch": platform.machine(), "cpus": len(os.sched_getaffinity(0)), "cpuModel": cpu_model(),
                    "loadAverageBefore": load_before[0],
                    "loadAverageAfter": os.getloadavg()[0]},
        "hwnas": version,
        "pymoo": pymoo.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "settings": {"population": POPULATION, "generations": GENERATIONS, "seeds": SEEDS,
                     "pymoo": "NSGA2(pop_size=100, eliminate_duplicates=True), defaults otherwise",
                     "hypervolume": "pymoo HV indicator on both final fronts",
                     "hwnasEnvironment": HWNAS_ENVIRONMENT},
        "bar": {"hypervolumeRatioAtLeast": HYPERVOLUME_BAR, "speedupAtLeast": SPEEDUP_BAR},
        "problems": problems,
        "searchSpaces": spaces,
        "met": all(p["met"] for p in problems.values()) and (spaces is None or spaces["met"]),
    }
    with open(args.out + ".tmp", "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    os.replace(args.out + ".tmp", args.out)
    for name, p in problems.items():
        print(f"{name}: median HV hwnas {p['medianHypervolume']['hwnas']:.5f} / pymoo {p['medianHypervolume']['pymoo']:.5f} "
              f"= {p['hypervolumeRatio']:.4f}; median time pymoo {p['medianSeconds']['pymoo']:.3f} s / hwnas "
              f"{p['medianSeconds']['hwnas'] * 1000:.1f} ms = {p['speedup']:.0f}x; own HV differs by at most "
              f"{p['hwnasOwnHypervolumeMaxDifference']:.1e}")
    print(f"search-bench: bar {'met' if report['met'] else 'NOT met'}; wrote {args.out}")


if __name__ == "__main__":
    main()
