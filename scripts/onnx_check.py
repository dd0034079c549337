#!/usr/bin/env python3
"""Checks ONNX model folders as hwnas writes them: FOLDER/model.onnx and FOLDER/test_data_set_0/
(input_<k>.pb, output_<k>.pb, ONNX's test-data layout).

For each folder: onnx.checker.check_model (full check, shapes inferred), then ONNX Runtime (CPU,
one thread, all graph optimisations) runs the model on the inputs, and each output is compared
with the expected one. Prints one JSON object per folder on stdout:

  {"folder": ..., "checker": "ok" | "<error>", "outputs": [{"name", "shape", "maxAbsDifference",
   "maxAbsExpected", "argmaxAgreement"}], "error": "<message>"?}

Exit status 0 when every folder was read and run (the caller judges the differences), 2 when the
Python environment lacks onnx or onnxruntime (the message says how to get them).
"""
import json
import os
import sys

try:
    import numpy as np
    import onnx
    import onnxruntime as ort
    from onnx import numpy_helper
except ImportError as error:  # pragma: no cover - depends on the environment
    print(f"onnx-check: {error}; run `make setup` (it makes .venv/ with onnx and onnxruntime)", file=sys.stderr)
    sys.exit(2)

ort.set_default_logger_severity(3)


def session(model_bytes):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"])


def tensors(folder, prefix):
    found = []
    while True:
        path = os.path.join(folder, f"{prefix}_{len(found)}.pb")
        if not os.path.exists(path):
            return found
        tensor = onnx.TensorProto()
        with open(path, "rb") as handle:
            tensor.ParseFromString(handle.read())
        found.append((tensor.name, numpy_helper.to_array(tensor)))


def check(folder):
    result = {"folder": folder}
    path = os.path.join(folder, "model.onnx")
    try:
        onnx.checker.check_model(path, full_check=True)
        result["checker"] = "ok"
    except Exception as error:  # the checker's own exception types vary by version
        result["checker"] = f"{type(error).__name__}: {error}"
    data = os.path.join(folder, "test_data_set_0")
    inputs, expected = tensors(data, "input"), tensors(data, "output")
    if not inputs or not expected:
        result["error"] = f"{data} holds no input_0.pb / output_0.pb"
        return result
    with open(path, "rb") as handle:
        run = session(handle.read())
    names = [o.name for o in run.get_outputs()]
    produced = run.run(names, dict(inputs))
    by_name = dict(zip(names, produced))
    outputs = []
    for name, reference in expected:
        if name not in by_name:
            result["error"] = f"the model has no output '{name}' (it has {names})"
            return result
        got = by_name[name].astype(np.float64)
        want = reference.astype(np.float64)
        if got.shape != want.shape:
            result["error"] = f"output '{name}' has shape {list(got.shape)}, expected {list(want.shape)}"
            return result
        entry = {"name": name, "shape": list(want.shape),
                 "maxAbsDifference": float(np.abs(got - want).max()),
                 "maxAbsExpected": float(np.abs(want).max())}
        if want.ndim == 2:
            entry["argmaxAgreement"] = float((got.argmax(axis=1) == want.argmax(axis=1)).mean())
        outputs.append(entry)
    result["outputs"] = outputs
    return result


def main():
    folders = sys.argv[1:]
    if not folders or folders[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if folders else 64
    for folder in folders:
        try:
            result = check(folder)
        except Exception as error:
            result = {"folder": folder, "error": f"{type(error).__name__}: {error}"}
        print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
