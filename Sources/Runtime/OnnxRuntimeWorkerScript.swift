/// The worker `OnnxRuntime` starts: ONNX Runtime has no C header in its Python wheel, so its
/// Python API is the supported way to drive it. The worker reads one JSON request per line on
/// stdin and answers one JSON line on stdout; it times its own calls, so no round trip between
/// the processes is ever counted. Kept in the binary (run with `python -c`) so that a built
/// hwnas needs no path to its sources.
///
/// Requests: `hello` (versions), `load` (a model file, its inputs as ONNX TensorProto files,
/// the expected output if any, session settings, the PUs to run on) → an id, the output's
/// largest difference from the expected one; `measure` (id, calls) → seconds for the calls
/// back to back, after one untimed call; `free` (id).
enum OnnxRuntimeWorkerScript {
    static let source = #"""
import json
import os
import platform
import sys
import time

# One thread per session, as the session options say: no BLAS helper threads in numpy.
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

try:
    import numpy as np
    import onnx
    import onnxruntime as ort
    from onnx import numpy_helper
except ImportError as error:
    sys.stdout.write(json.dumps({"error": f"{sys.executable} cannot import {error.name}: {error}"}) + "\n")
    sys.stdout.flush()
    sys.exit(3)

ort.set_default_logger_severity(3)
sessions = {}
next_id = 1


def answer(payload):
    sys.stdout.write(json.dumps(payload) + "\n")
    sys.stdout.flush()


def hello(request):
    return {"onnxruntime": ort.__version__, "onnx": onnx.__version__, "numpy": np.__version__,
            "python": platform.python_version(), "providers": ort.get_available_providers()}


def session_options(request):
    options = ort.SessionOptions()
    options.intra_op_num_threads = int(request["threads"])
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    if request.get("denormalAsZero"):
        options.add_session_config_entry("session.set_denormal_as_zero", "1")
    return options


def load(request):
    global next_id
    pus = request.get("pus")
    if pus:
        # Threads the session starts inherit the loading thread's PUs.
        os.sched_setaffinity(0, set(pus))
    session = ort.InferenceSession(request["model"], session_options(request), providers=["CPUExecutionProvider"])
    given = {}
    for path in request["inputs"]:
        tensor = onnx.load_tensor(path)
        given[tensor.name] = np.ascontiguousarray(numpy_helper.to_array(tensor))
    names = [meta.name for meta in session.get_inputs()]
    missing = [name for name in names if name not in given]
    if missing:
        raise ValueError(f"the model reads {missing}, which were not given (given: {sorted(given)})")
    output = session.get_outputs()[0].name
    values = {name: ort.OrtValue.ortvalue_from_numpy(given[name]) for name in names}
    result = session.run([output], {name: given[name] for name in names})[0]
    target = ort.OrtValue.ortvalue_from_shape_and_type(list(result.shape), result.dtype)
    binding = session.io_binding()
    for name in names:
        binding.bind_ortvalue_input(name, values[name])
    binding.bind_ortvalue_output(output, target)
    reply = {"outputShape": list(result.shape)}
    expected_path = request.get("expected")
    if expected_path:
        expected = numpy_helper.to_array(onnx.load_tensor(expected_path)).astype(np.float64)
        if list(expected.shape) != list(result.shape):
            raise ValueError(f"output shape {list(result.shape)}, expected {list(expected.shape)}")
        reply["maxAbsDifference"] = float(np.abs(result.astype(np.float64) - expected).max()) if result.size else 0.0
        reply["maxAbsExpected"] = float(np.abs(expected).max()) if expected.size else 0.0
    identifier = next_id
    next_id += 1
    # The values stay referenced: the binding points at their memory.
    sessions[identifier] = (session, binding, values, target)
    reply["id"] = identifier
    return reply


def measure(request):
    session, binding, _, _ = sessions[int(request["id"])]
    calls = int(request["calls"])
    run = session.run_with_iobinding
    clock = time.perf_counter
    # One call outside the timing: the worker was asleep waiting for this request, and its
    # first call pays the wake-up (a cold core, hwnas's own work in the caches), which a loop
    # of calls in one process never does.
    run(binding)
    start = clock()
    for _ in range(calls):
        run(binding)
    return {"seconds": clock() - start}


def free(request):
    sessions.pop(int(request["id"]), None)
    return {}


HANDLERS = {"hello": hello, "load": load, "measure": measure, "free": free}

for line in sys.stdin:
    if not line.strip():
        continue
    try:
        request = json.loads(line)
        handler = HANDLERS.get(request.get("op"))
        if handler is None:
            answer({"error": f"unknown request {request.get('op')!r}"})
            continue
        answer(handler(request))
    except Exception as error:  # every failure is answered, naming it; the worker keeps serving
        answer({"error": f"{type(error).__name__}: {error}"})
"""#
}
