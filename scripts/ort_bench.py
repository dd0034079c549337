#!/usr/bin/env python3
"""hwnas's blocks against ONNX Runtime, interleaved in one run, written to bench/results/ort.json
and ort.md.

- The blocks: block-bench's `--peer-blocks` (ffn-3072, ffn-2048, mha-12 at sequence 128, hidden
  768, BERT post-norm; Once-for-All MobileNetV3's largest and smallest MBConv at 224 px by MACs).
- Each block is rebuilt as an ONNX graph (opset 17) from the weights hwnas dumps for it
  (`block-bench --dump`), weights as initialisers, and checked to compute hwnas's output on
  hwnas's input (max absolute difference <= 1e-3) before anything is timed.
- ONNX Runtime runs with one intra-op thread, sequential execution, all graph optimisations
  (ORT_ENABLE_ALL) and no spinning, through an IO binding (no per-call allocation); MBConv graphs
  take NCHW input, the layout ORT's convolutions want: the transposes are outside the timing.
- Everything runs on one PU (this process and block-bench pinned to it). In each round, for each
  block, hwnas times its block (`block-bench --time`, a fresh process) and then ORT times the same
  block, both with the same procedure (warm-up, then one clock reading around each call for
  `--seconds`, the median); each round also measures the STREAM triad once and the BLAS's sgemm
  (the same-run peak) before every block, the round's peak being their median. Drift of the shared host hits both sides; figures are medians over rounds of
  per-round values (ratios are taken within a round).
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

# Before numpy loads its BLAS: no helper threads competing for the measured PU.
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

# Errors only: saving the optimised graph warns that NCHWc layouts are machine-specific.
ort.set_default_logger_severity(3)

OPSET = 17
TOLERANCE = 1e-3
WARMUP_CALLS = 3
WARMUP_SECONDS = 0.05
MINIMUM_CALLS = 5


def log(message):
    print(f"ort-bench: {message}", file=sys.stderr, flush=True)


def read_dump_index(directory):
    with open(os.path.join(directory, "index.json")) as handle:
        return json.load(handle)


def read_tensor(directory, entry):
    """A tensor of a dump: raw little-endian float32, or int64 where the index says so."""
    dtype = {None: "<f4", "float32": "<f4", "int64": "<i8"}[entry.get("dtype")]
    return np.fromfile(os.path.join(directory, entry["file"]), dtype=dtype).reshape(entry["shape"])


def load_dump(directory):
    """The block's spec, weights, input and hwnas's output from a `block-bench --dump` folder."""
    index = read_dump_index(directory)
    parameters = {name: read_tensor(directory, entry) for name, entry in index["parameters"].items()}
    return (index["spec"], parameters, read_tensor(directory, index["input"]),
            read_tensor(directory, index["output"]))


def dump_feeds(directory):
    """What the block's graph (`BUILDERS`) reads, by input name: `x`, or an embedding's
    `input_ids` and `token_type_ids`."""
    index = read_dump_index(directory)
    if index["spec"]["kind"] == "embed":
        return {"input_ids": read_tensor(directory, index["input"]),
                "token_type_ids": read_tensor(directory, index["tokenTypes"])}
    return {"x": read_tensor(directory, index["input"])}


class Graph:
    """A growing ONNX graph: nodes, initialisers, fresh names."""

    def __init__(self):
        self.nodes = []
        self.initializers = []
        self.count = 0

    def name(self, hint):
        self.count += 1
        return f"{hint}_{self.count}"

    def constant(self, hint, array):
        name = self.name(hint)
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def scalar(self, hint, value):
        """A rank-0 initializer (`constant` makes arrays of rank 1 at least)."""
        name = self.name(hint)
        self.initializers.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def op(self, op_type, inputs, hint=None, output=None, **attributes):
        output = output or self.name(hint or op_type.lower())
        self.nodes.append(helper.make_node(op_type, inputs, [output], **attributes))
        return output

    def model(self, name, x_shape, y_shape, x="x", y="y", inputs=None):
        """The checked model; `inputs`, when given, declares the graph's inputs as (name, ONNX
        element type, shape) in place of the one float input `x`."""
        declared = inputs or [(x, TensorProto.FLOAT, x_shape)]
        graph = helper.make_graph(
            self.nodes, name,
            [helper.make_tensor_value_info(n, t, shape) for n, t, shape in declared],
            [helper.make_tensor_value_info(y, TensorProto.FLOAT, y_shape)],
            self.initializers)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="hwnas-bench")
        onnx.checker.check_model(model)
        return model


def f32(value):
    return np.array(value, dtype=np.float32)


def linear(g, x, weight, bias, hint):
    """x·W + b with W [in, out] (hwnas's layout, and MatMul's)."""
    return g.op("Add", [g.op("MatMul", [x, g.constant(hint + "_w", weight)]), g.constant(hint + "_b", bias)], hint)


def gelu_erf(g, h):
    """0.5·h·(1 + erf(h/√2)), the erf form as BERT exports write it (ORT fuses it)."""
    e = g.op("Erf", [g.op("Div", [h, g.constant("sqrt2", f32(np.sqrt(2.0)))])])
    one_plus = g.op("Add", [e, g.constant("one", f32(1.0))])
    return g.op("Mul", [g.op("Mul", [h, one_plus]), g.constant("half", f32(0.5))], "gelu")


def dense(g, x, weight, bias, hint, output=None):
    """x·W + b on [N, features] as one Gemm (W [in, out]), as exporters write linear layers on vectors."""
    return g.op("Gemm", [x, g.constant(hint + "_w", weight), g.constant(hint + "_b", bias)], hint, output=output)


def layer_norm(g, x, p, spec, output=None):
    """LayerNormalization over the last axis with the dump's `norm.weight` and `norm.bias`."""
    return g.op("LayerNormalization", [x, g.constant("gamma", p["norm.weight"]), g.constant("beta", p["norm.bias"])],
                output=output, axis=-1, epsilon=float(spec["normEpsilon"]))


def post_norm(g, y, residual, p, spec, output):
    """LayerNorm(y + residual), BERT's post-norm."""
    return layer_norm(g, g.op("Add", [y, residual], "residual"), p, spec, output)


def first_token(g, x):
    """[N, S, C] -> [N, C]: the first token of each sequence."""
    return g.op("Gather", [x, g.scalar("first_index", np.int64(0))], "first_token", axis=1)


def build_embedding(spec, p):
    """BERT: y = LN(words[input_ids] + types[token_type_ids] + positions[position_ids]), the
    position ids a constant 0..S-1 gathered like the other two, as BERT exports write it."""
    if spec["normEpsilon"] is None:
        raise SystemExit("ort-bench: an embedding without a layer norm is not built")
    g = Graph()
    n, s = spec["inputShape"]
    words = g.op("Gather", [g.constant("word_embeddings", p["words"]), "input_ids"], "word_rows", axis=0)
    types = g.op("Gather", [g.constant("token_type_embeddings", p["types"]), "token_type_ids"], "type_rows", axis=0)
    position_ids = g.constant("position_ids", np.arange(s, dtype=np.int64).reshape(1, s))
    positions = g.op("Gather", [g.constant("position_embeddings", p["positions"]), position_ids], "position_rows", axis=0)
    summed = g.op("Add", [g.op("Add", [words, types], "embedding_sum"), positions], "embedding_sum")
    layer_norm(g, summed, p, spec, "y")
    ids = [(name, TensorProto.INT64, [n, s]) for name in ("input_ids", "token_type_ids")]
    return g.model("embedding", None, spec["outputShape"], inputs=ids)


def build_pooler(spec, p):
    """BERT: y = tanh(W·x[:, 0] + b)."""
    g = Graph()
    g.op("Tanh", [dense(g, first_token(g, "x"), p["dense.weight"], p["dense.bias"], "pooler")], output="y")
    return g.model("pooler", spec["inputShape"], spec["outputShape"])


def build_classifier(spec, p):
    """y = W·x + b; ViT's (a sequence in) layer-normalises the class token first."""
    g = Graph()
    x = "x"
    if spec.get("sequence") is not None:
        x = layer_norm(g, first_token(g, x), p, spec)
    dense(g, x, p["dense.weight"], p["dense.bias"], "classifier", output="y")
    return g.model("classifier", spec["inputShape"], spec["outputShape"])


def build_ffn(spec, p):
    """BERT: y = LN(x + W2·GELU(W1·x + b1) + b2)."""
    if spec["norm"] != "post":
        raise SystemExit("ort-bench: only post-norm (BERT) FFN blocks are built")
    g = Graph()
    h = gelu_erf(g, linear(g, "x", p["up.weight"], p["up.bias"], "up"))
    post_norm(g, linear(g, h, p["down.weight"], p["down.bias"], "down"), "x", p, spec, "y")
    return g.model("ffn", spec["inputShape"], spec["outputShape"])


def build_mha(spec, p):
    """BERT: y = LN(x + Wo·Attention(x) + bo): Q, K, V projections (columns of hwnas's QKV weight,
    head-major), scaled dot-product softmax per head, output projection, residual, layer norm."""
    if spec["norm"] != "post":
        raise SystemExit("ort-bench: only post-norm (BERT) MHA blocks are built")
    g = Graph()
    n, s, _ = spec["inputShape"]
    heads, d = spec["heads"], spec["headDim"]
    inner = heads * d
    w, b = p["attention.qkv.weight"], p["attention.qkv.bias"]
    split = g.constant("heads_shape", np.array([n, s, heads, d], dtype=np.int64))

    def project(index, hint, perm):
        columns = slice(index * inner, (index + 1) * inner)
        t = linear(g, "x", w[:, columns], b[columns], hint)
        return g.op("Transpose", [g.op("Reshape", [t, split])], perm=perm)

    q = project(0, "q", [0, 2, 1, 3])          # [n, heads, s, d]
    k = project(1, "k", [0, 2, 3, 1])          # [n, heads, d, s]
    v = project(2, "v", [0, 2, 1, 3])          # [n, heads, s, d]
    scores = g.op("Div", [g.op("MatMul", [q, k]), g.constant("sqrt_d", f32(np.sqrt(d)))], "scores")
    probabilities = g.op("Softmax", [scores], axis=-1)
    context = g.op("Transpose", [g.op("MatMul", [probabilities, v])], perm=[0, 2, 1, 3])
    context = g.op("Reshape", [context, g.constant("merge_shape", np.array([n, s, inner], dtype=np.int64))])
    out = linear(g, context, p["attention.output.weight"], p["attention.output.bias"], "output")
    post_norm(g, out, "x", p, spec, "y")
    return g.model("mha", spec["inputShape"], spec["outputShape"])


def activation(g, x, kind):
    if kind == "identity":
        return x
    if kind == "relu":
        return g.op("Relu", [x])
    if kind == "relu6":
        return g.op("Clip", [x, g.constant("zero", f32(0.0)), g.constant("six", f32(6.0))])
    if kind == "hardSwish":
        return g.op("HardSwish", [x])
    raise SystemExit(f"ort-bench: activation {kind} is not built")


def conv1x1(g, x, weight, bias, hint):
    """A 1x1 convolution from hwnas's linear weight [in, out]: ONNX's [out, in, 1, 1]."""
    w = weight.T.reshape(weight.shape[1], weight.shape[0], 1, 1)
    return g.op("Conv", [x, g.constant(hint + "_w", w), g.constant(hint + "_b", bias)], hint)


def build_mbconv(spec, p):
    """NCHW: 1x1 expand + act (batch norm folded: a bias), depthwise k x k ("same" padding k/2,
    stride s) + act, squeeze-excite (global average pool, 1x1 reduce + ReLU, 1x1 expand +
    h-sigmoid, scale), 1x1 project, residual when shapes allow."""
    g = Graph()
    act = spec["activation"]
    h = "x"
    if spec["expands"]:
        h = activation(g, conv1x1(g, h, p["expand.weight"], p["expand.bias"], "expand"), act)
    k, mid = spec["kernel"], spec["mid"]
    dw = p["depthwise.weight"].transpose(2, 0, 1).reshape(mid, 1, k, k)
    h = g.op("Conv", [h, g.constant("dw_w", dw), g.constant("dw_b", p["depthwise.bias"])], "depthwise",
             group=mid, kernel_shape=[k, k], strides=[spec["stride"]] * 2, pads=[k // 2] * 4)
    h = activation(g, h, act)
    if spec["squeezeExcite"]:
        pooled = g.op("GlobalAveragePool", [h])
        reduced = g.op("Relu", [conv1x1(g, pooled, p["se.reduce.weight"], p["se.reduce.bias"], "se_reduce")])
        gate = g.op("HardSigmoid", [conv1x1(g, reduced, p["se.expand.weight"], p["se.expand.bias"], "se_expand")],
                    alpha=1.0 / 6.0, beta=0.5)
        h = g.op("Mul", [h, gate], "se_scale")
    if spec["residual"]:
        projected = conv1x1(g, h, p["project.weight"], p["project.bias"], "project")
        g.op("Add", [projected, "x"], output="y")
    else:
        w = p["project.weight"]
        g.op("Conv", [h, g.constant("project_w", w.T.reshape(w.shape[1], w.shape[0], 1, 1)),
                      g.constant("project_b", p["project.bias"])], output="y")
    nhwc_in, nhwc_out = spec["inputShape"], spec["outputShape"]
    return g.model("mbconv", [nhwc_in[0], nhwc_in[3], nhwc_in[1], nhwc_in[2]],
                   [nhwc_out[0], nhwc_out[3], nhwc_out[1], nhwc_out[2]])


BUILDERS = {"embed": build_embedding, "mha": build_mha, "ffn": build_ffn, "pooler": build_pooler,
            "classifier": build_classifier, "mbconv": build_mbconv}


def session_options(optimized_path=None, threads=1):
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    if optimized_path:
        options.optimized_model_filepath = optimized_path
    return options


SETTINGS = {
    "opset": OPSET,
    "intraOpThreads": 1,
    "interOpThreads": 1,
    "executionMode": "ORT_SEQUENTIAL",
    "graphOptimizationLevel": "ORT_ENABLE_ALL",
    "session.intra_op.allow_spinning": "0",
    "providers": ["CPUExecutionProvider"],
    "weights": "initialisers",
    "call": "run_with_iobinding, input and output bound once",
}


class OrtBlock:
    """One block as an ONNX Runtime session, with its input bound once."""

    def __init__(self, name, spec, parameters, x, expected, scratch):
        self.name = name
        self.spec = spec
        self.nchw = spec["layout"] == "NHWC"
        model = BUILDERS[spec["kind"]](spec, parameters)
        self.model_bytes = model.SerializeToString()
        self.input = np.ascontiguousarray(x.transpose(0, 3, 1, 2) if self.nchw else x)
        self.session = ort.InferenceSession(self.model_bytes, session_options(), providers=["CPUExecutionProvider"])
        # What ORT made of the graph after its optimisations, from a second session that saves it.
        optimized = os.path.join(scratch, f"{name}.optimized.onnx")
        ort.InferenceSession(self.model_bytes, session_options(optimized), providers=["CPUExecutionProvider"])
        ops = {}
        for node in onnx.load(optimized).graph.node:
            label = node.op_type if node.domain in ("", "ai.onnx") else f"{node.domain}.{node.op_type}"
            ops[label] = ops.get(label, 0) + 1
        self.optimized_ops = dict(sorted(ops.items()))
        # The check: ORT's output on hwnas's input and weights against hwnas's output.
        y = self.session.run(["y"], {"x": self.input})[0]
        if self.nchw:
            y = y.transpose(0, 2, 3, 1)
        difference = np.abs(y.astype(np.float64) - expected.astype(np.float64))
        self.max_abs_difference = float(difference.max())
        self.max_abs_output = float(np.abs(expected).max())
        self.check_passed = bool(self.max_abs_difference <= TOLERANCE)
        # The timed call: input and output bound once, nothing allocated per call.
        self.call, _ = bound_call(self.session, {"x": self.input})


def bound_call(session, feeds):
    """A call of `session` on `feeds` with its inputs and output bound once (nothing allocated
    per call), and the output of one run."""
    values = {name: ort.OrtValue.ortvalue_from_numpy(np.ascontiguousarray(array)) for name, array in feeds.items()}
    output = session.get_outputs()[0].name
    result = session.run([output], feeds)[0]
    target = ort.OrtValue.ortvalue_from_shape_and_type(list(result.shape), result.dtype)
    binding = session.io_binding()
    for name, value in values.items():
        binding.bind_ortvalue_input(name, value)
    binding.bind_ortvalue_output(output, target)
    run = session.run_with_iobinding

    def call(_bound=(values, target)):  # the binding points at these values' memory: keep them
        run(binding)

    return call, result


def warm_up(call):
    """Calls until both the warm-up calls and seconds are done."""
    clock = time.perf_counter
    start = clock()
    warmed = 0
    while warmed < WARMUP_CALLS or clock() - start < WARMUP_SECONDS:
        call()
        warmed += 1


def plain_loop(call, runs):
    """Seconds of each of `runs` calls after the warm-up, one clock reading around each."""
    warm_up(call)
    clock = time.perf_counter
    samples = []
    for _ in range(runs):
        t0 = clock()
        call()
        samples.append(clock() - t0)
    return samples


def sample(call, seconds):
    """Seconds per call, one clock reading around each call after the warm-up (block-bench's
    `BlockTimer` does the same on hwnas's side)."""
    clock = time.perf_counter
    warm_up(call)
    samples = []
    start = clock()
    while len(samples) < MINIMUM_CALLS or clock() - start < seconds:
        t0 = clock()
        call()
        samples.append(clock() - t0)
    return samples


def hwnas_time(block_bench, name, seconds, pu):
    out = subprocess.run([block_bench, f"--time={name}", f"--seconds={seconds}", f"--pu={pu}"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def call_floor(seconds):
    """The cost of one bound ORT call from Python on a one-float Identity graph: what the ORT
    side's figures carry besides the block."""
    g = Graph()
    g.op("Identity", ["x"], output="y")
    session = ort.InferenceSession(g.model("identity", [1], [1]).SerializeToString(), session_options(),
                                   providers=["CPUExecutionProvider"])
    binding = session.io_binding()
    x = ort.OrtValue.ortvalue_from_numpy(np.zeros(1, dtype=np.float32))
    y = ort.OrtValue.ortvalue_from_shape_and_type([1], np.float32)
    binding.bind_ortvalue_input("x", x)
    binding.bind_ortvalue_output("y", y)
    return statistics.median(sample(lambda: session.run_with_iobinding(binding), seconds))


def median(values):
    return statistics.median(values) if values else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--block-bench", default=".build/release/block-bench")
    parser.add_argument("--out", default="bench/results")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=0.3, help="timed seconds per block, side and round")
    parser.add_argument("--pu", type=int, default=0)
    parser.add_argument("--peak-order", type=int, default=768)
    parser.add_argument("--blocks", help="comma-separated block names (default: all of --peer-blocks)")
    parser.add_argument("--scratch", help="folder for the dumps (default: a temporary one)")
    args = parser.parse_args()

    os.sched_setaffinity(0, {args.pu})
    listing = json.loads(subprocess.run([args.block_bench, "--peer-blocks"], check=True, capture_output=True,
                                        text=True).stdout)
    entries = listing["blocks"]
    if args.blocks:
        wanted = args.blocks.split(",")
        entries = [e for e in entries if e["name"] in wanted]
    scratch_holder = None if args.scratch else tempfile.TemporaryDirectory(prefix="hwnas-ort-bench-")
    scratch = args.scratch or scratch_holder.name
    os.makedirs(scratch, exist_ok=True)

    blocks = []
    for entry in entries:
        directory = os.path.join(scratch, entry["name"])
        subprocess.run([args.block_bench, f"--dump={entry['name']}", f"--out={directory}"], check=True,
                       capture_output=True)
        spec, parameters, x, expected = load_dump(directory)
        block = OrtBlock(entry["name"], spec, parameters, x, expected, scratch)
        log(f"{entry['name']}: ORT output within {block.max_abs_difference:.2e} of hwnas's "
            f"(max |y| {block.max_abs_output:.2f}); ORT runs {block.optimized_ops}")
        blocks.append((entry, block))
    failed = [block.name for _, block in blocks if not block.check_passed]
    if failed:
        raise SystemExit(f"ort-bench: ORT does not compute hwnas's block for {', '.join(failed)} "
                         f"(max difference above {TOLERANCE}); nothing timed")

    floor = call_floor(0.2)
    peak_name = f"sgemm-{args.peak_order}"
    rounds = []
    started = time.time()
    for r in range(args.rounds):
        log(f"round {r + 1}/{args.rounds}")
        record = {"peaks": [], "triad": hwnas_time(args.block_bench, "triad", args.seconds, args.pu), "blocks": {}}
        for entry, block in blocks:
            # The peak before every block: the round's peak is their median, spread over the round.
            record["peaks"].append(hwnas_time(args.block_bench, peak_name, args.seconds, args.pu))
            # Alternate which side goes first, so neither always follows the other.
            order = ("hwnas", "ort") if r % 2 == 0 else ("ort", "hwnas")
            timed = {}
            for side in order:
                if side == "hwnas":
                    timed["hwnas"] = hwnas_time(args.block_bench, entry["name"], args.seconds, args.pu)
                else:
                    samples = sample(block.call, args.seconds)
                    timed["ort"] = {"medianMs": statistics.median(samples) * 1e3, "n": len(samples)}
            record["blocks"][entry["name"]] = timed
        record["peakGflops"] = median([p["gflops"] for p in record["peaks"]])
        rounds.append(record)
    elapsed = time.time() - started

    peaks = [r["peakGflops"] for r in rounds]
    triads = [r["triad"]["gbs"] for r in rounds]
    results = []
    for entry, block in blocks:
        name = entry["name"]
        per_round = []
        for r in rounds:
            h, o = r["blocks"][name]["hwnas"], r["blocks"][name]["ort"]
            hwnas_gflops = entry["flops"] / (h["medianMs"] / 1e3) / 1e9
            ort_gflops = entry["flops"] / (o["medianMs"] / 1e3) / 1e9
            per_round.append({
                "hwnasMs": h["medianMs"], "ortMs": o["medianMs"], "ratio": h["medianMs"] / o["medianMs"],
                "hwnasPercentOfPeak": 100 * hwnas_gflops / r["peakGflops"],
                "ortPercentOfPeak": 100 * ort_gflops / r["peakGflops"],
                "hwnasPercentOfTriad": 100 * (entry["bytes"] / (h["medianMs"] / 1e3) / 1e9) / r["triad"]["gbs"],
                "ortPercentOfTriad": 100 * (entry["bytes"] / (o["medianMs"] / 1e3) / 1e9) / r["triad"]["gbs"],
                "hwnasCalls": h["n"], "ortCalls": o["n"],
            })

        def pick(field):
            return [x[field] for x in per_round]

        result = {
            "name": name, "key": entry["key"], "kind": entry["kind"], "macs": entry["macs"], "flops": entry["flops"],
            "bytes": entry["bytes"],
            "hwnasMedianMs": median(pick("hwnasMs")), "ortMedianMs": median(pick("ortMs")),
            "ratio": median(pick("ratio")), "ratioMin": min(pick("ratio")), "ratioMax": max(pick("ratio")),
            "hwnasPercentOfPeak": median(pick("hwnasPercentOfPeak")), "ortPercentOfPeak": median(pick("ortPercentOfPeak")),
            "check": {"maxAbsDifference": block.max_abs_difference, "maxAbsOutput": block.max_abs_output,
                      "tolerance": TOLERANCE, "passed": block.check_passed},
            "ortOptimizedOps": block.optimized_ops,
            "rounds": per_round,
        }
        if entry["kind"] == "mbconv":
            result["hwnasPercentOfTriad"] = median(pick("hwnasPercentOfTriad"))
            result["ortPercentOfTriad"] = median(pick("ortPercentOfTriad"))
        results.append(result)

    checks = []
    for name, bar in (("ffn-3072", 0.90), ("mha-12", 0.90)):
        b = next((b for b in results if b["name"] == name), None)
        if b:
            checks.append({"block": name, "ratio": b["ratio"], "ratioBar": bar, "ratioMet": b["ratio"] <= bar,
                           "percentOfPeak": b["hwnasPercentOfPeak"], "percentOfPeakBar": 90.0,
                           "percentOfPeakMet": b["hwnasPercentOfPeak"] >= 90.0})
    report = {
        "schemaVersion": 1,
        "createdAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": listing["build"]["machine"],
        "pu": args.pu,
        "rounds": args.rounds,
        "secondsPerSide": args.seconds,
        "elapsedSeconds": round(elapsed, 1),
        "method": ("per round: the triad, then for each block the BLAS's sgemm (the round's peak is the median of "
                   "these), hwnas (block-bench --time, a fresh process) and ORT alternately (which goes first alternates by round), each timed with "
                   "the same warm-up and one clock reading around each call; figures are medians over rounds of "
                   "per-round medians, ratios taken within a round"),
        "peak": {"key": rounds[0]["peaks"][0]["key"], "perRoundGflops": peaks, "medianGflops": median(peaks), "minGflops": min(peaks),
                 "maxGflops": max(peaks)},
        "triad": {"perRoundGBs": triads, "medianGBs": median(triads), "minGBs": min(triads), "maxGBs": max(triads)},
        "ortCallFloorMs": floor * 1e3,
        "hwnas": listing["build"],
        "versions": {"onnxruntime": ort.__version__, "onnx": onnx.__version__, "numpy": np.__version__,
                     "python": platform.python_version()},
        "onnxRuntime": SETTINGS,
        "blocks": results,
        "checks": checks,
    }
    os.makedirs(args.out, exist_ok=True)
    write(os.path.join(args.out, "ort.json"), json.dumps(report, indent=2, sort_keys=False) + "\n")
    markdown = render(report)
    write(os.path.join(args.out, "ort.md"), markdown)
    print(markdown)


def write(path, text):
    temporary = path + ".tmp"
    with open(temporary, "w") as handle:
        handle.write(text)
    os.replace(temporary, path)


def render(report):
    build = report["hwnas"]
    dispatch = ", ".join(f"{k}: {v}" for k, v in build["kernelDispatch"].items())
    v = report["versions"]
    lines = [
        f"# hwnas against ONNX Runtime on {report['machine']}, one thread (PU {report['pu']})",
        "",
        f"Measured {report['createdAt']}: {report['rounds']} rounds, {report['secondsPerSide']} s per block and side "
        f"per round, hwnas and ONNX Runtime alternating on the same PU ({report['elapsedSeconds']} s in all). "
        f"Same-run sgemm peak {report['peak']['medianGflops']:.1f} GFLOP/s "
        f"({report['peak']['minGflops']:.1f}-{report['peak']['maxGflops']:.1f} over rounds, {report['peak']['key']}), "
        f"triad {report['triad']['medianGBs']:.1f} GB/s.",
        "",
        f"hwnas {build['hwnas']} built for {build['buildTarget']} (kernel variant {build['kernelVariant']}: {dispatch}; "
        f"{build['blas']}). ONNX Runtime {v['onnxruntime']} (onnx {v['onnx']}, numpy {v['numpy']}, "
        f"Python {v['python']}): opset {OPSET}, 1 intra-op thread, sequential, ORT_ENABLE_ALL, no spinning, "
        f"IO binding; one bound call costs {report['ortCallFloorMs'] * 1e3:.1f} us on an empty graph.",
        "",
        "| block | hwnas ms | ORT ms | hwnas / ORT (range) | hwnas % of peak | ORT % of peak | hwnas % of triad | ORT % of triad | max abs diff |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for b in report["blocks"]:
        triad = (f"{b['hwnasPercentOfTriad']:.1f} | {b['ortPercentOfTriad']:.1f}" if "hwnasPercentOfTriad" in b
                 else "- | -")
        lines.append(
            f"| {b['name']} `{b['key']}` | {b['hwnasMedianMs']:.3f} | {b['ortMedianMs']:.3f} | "
            f"{b['ratio']:.3f} ({b['ratioMin']:.3f}-{b['ratioMax']:.3f}) | {b['hwnasPercentOfPeak']:.1f} | "
            f"{b['ortPercentOfPeak']:.1f} | {triad} | {b['check']['maxAbsDifference']:.1e} |")
    lines += [
        "",
        "Medians over rounds of per-round medians; the ratio is taken within each round (range: its lowest and "
        "highest round). % of peak: GFLOP/s (2 per MAC) over the sgemm peak of the same round; % of triad: the "
        "block's minimum bytes (weights, input, output) per second over the triad of the same round. Every ONNX "
        f"graph was checked first: ORT's output on hwnas's input and weights within {TOLERANCE} of hwnas's.",
        "",
    ]
    if report["checks"]:
        lines += ["Checks (issue 13: hwnas <= 0.90 x ONNX Runtime and >= 90% of the same-run peak):", ""]
        for c in report["checks"]:
            lines.append(f"- {c['block']}: hwnas / ORT {c['ratio']:.3f} ({'met' if c['ratioMet'] else 'NOT met'}), "
                         f"{c['percentOfPeak']:.1f}% of peak ({'met' if c['percentOfPeakMet'] else 'NOT met'}).")
        lines += ["", "What ONNX Runtime runs after its graph optimisations:", ""]
    for b in report["blocks"]:
        ops = ", ".join(f"{name} x{count}" for name, count in b["ortOptimizedOps"].items())
        lines.append(f"- {b['name']}: {ops}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
