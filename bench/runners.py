"""Times one model on one Python-driven system, in a process of its own (bench/run.py's step 4).

usage: runners.py --system tf|litert|ort --model DIR/NAME --runs N --warmup W --out-npy FILE
                  [--threads T]

DIR/NAME is what bench/models.py wrote (NAME/, NAME.input.npy, NAME.meta.json, NAME.tflite,
NAME.onnx). The input is bound once; W untimed calls, then N calls each timed with
time.perf_counter_ns (Python's garbage collector off), then the last output goes to FILE and one
JSON object to stdout: {"times_ns": [...], "versions": {...}, "notes": [...], ...}.

  tf      tf.saved_model.load + the serving_default signature function, called with a tf.Tensor;
          tf.config.threading intra-op and inter-op parallelism 1, set before anything runs.
  litert  ai_edge_litert.interpreter.Interpreter(num_threads=1): LiteRT's default op resolver,
          which applies the XNNPACK delegate; invoke() is timed. Reports which ops XNNPACK took.
  ort     onnxruntime.InferenceSession, CPUExecutionProvider, intra/inter-op threads 1,
          ORT_ENABLE_ALL, ORT_SEQUENTIAL; run_with_iobinding with the input and a preallocated
          output bound once (no copies in the timed call).
Only the system's own package is imported, so no other runtime's threads share the process.
--threads T (default 1) sets each system's own thread count to T instead: TF's intra-op
parallelism (inter-op stays 1: one call at a time), LiteRT's num_threads, ONNX Runtime's
intra_op_num_threads (inter-op 1, sequential execution).
"""

import argparse
import gc
import json
import sys
import time
from importlib import metadata

import numpy as np


def timed(call, runs, warmup):
    for _ in range(warmup):
        call()
    gc.collect()
    gc.disable()
    times = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        call()
        times.append(time.perf_counter_ns() - start)
    gc.enable()
    return times


THREADS = 1


def run_tf(model, meta, x, runs, warmup):
    import tensorflow as tf  # pylint: disable=import-outside-toplevel

    tf.config.threading.set_intra_op_parallelism_threads(THREADS)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    fn = tf.saved_model.load(model).signatures[meta["signature"]]
    arg = {meta["input"]: tf.constant(x)}
    result = {}

    def call():
        result["y"] = fn(**arg)[meta["output"]]

    times = timed(call, runs, warmup)
    notes = ["intra_op_parallelism_threads=%d, inter_op_parallelism_threads=%d" % (
        tf.config.threading.get_intra_op_parallelism_threads(),
        tf.config.threading.get_inter_op_parallelism_threads())]
    return times, result["y"].numpy(), {"tensorflow": tf.__version__}, notes, {}


def xnnpack_coverage(interpreter):
    """Which of the model's ops the delegate nodes replaced.

    LiteRT keeps the replaced nodes in the node list and appends one DELEGATE node per delegated
    partition; the ops of a partition are those reached walking back from the partition's outputs
    to its inputs."""
    ops = interpreter._get_ops_details()  # pylint: disable=protected-access
    delegates = [o for o in ops if o["op_name"] == "DELEGATE"]
    model_ops = [o for o in ops if o["op_name"] != "DELEGATE"]
    producer = {t: o for o in model_ops for t in o["outputs"]}
    covered = set()
    for d in delegates:
        stop, stack = set(d["inputs"].tolist()), list(d["outputs"].tolist())
        while stack:
            t = stack.pop()
            if t in stop or t not in producer or producer[t]["index"] in covered:
                continue
            covered.add(producer[t]["index"])
            stack.extend(i for i in producer[t]["inputs"].tolist() if i >= 0)
    left = sorted({o["op_name"] for o in model_ops if o["index"] not in covered})
    return {"ops": len(model_ops), "delegated": len(covered), "partitions": len(delegates),
            "not_delegated_op_types": left}


def run_litert(model, meta, x, runs, warmup):
    from ai_edge_litert import interpreter as litert  # pylint: disable=import-outside-toplevel

    interpreter = litert.Interpreter(model_path=model + ".tflite", num_threads=THREADS)
    interpreter.allocate_tensors()
    (inp,), (out,) = interpreter.get_input_details(), interpreter.get_output_details()
    if list(inp["shape"]) != list(x.shape):
        raise RuntimeError(f"LiteRT input shape {list(inp['shape'])}, want {list(x.shape)}")
    interpreter.set_tensor(inp["index"], x)
    times = timed(interpreter.invoke, runs, warmup)
    y = interpreter.get_tensor(out["index"])
    coverage = xnnpack_coverage(interpreter)
    notes = ["XNNPACK: %d of %d ops in %d delegated partition(s)%s" % (
        coverage["delegated"], coverage["ops"], coverage["partitions"],
        "; not delegated: " + ", ".join(coverage["not_delegated_op_types"])
        if coverage["not_delegated_op_types"] else "")]
    return times, y, {"ai-edge-litert": metadata.version("ai-edge-litert")}, notes, {
        "xnnpack": coverage}


def run_ort(model, meta, x, runs, warmup):
    import onnxruntime as ort  # pylint: disable=import-outside-toplevel

    options = ort.SessionOptions()
    options.intra_op_num_threads = THREADS
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    session = ort.InferenceSession(model + ".onnx", options, providers=["CPUExecutionProvider"])
    (inp,), (out,) = session.get_inputs(), session.get_outputs()
    y = np.empty(meta["output_shape"], np.float32)
    binding = session.io_binding()
    binding.bind_cpu_input(inp.name, x)
    binding.bind_ortvalue_output(out.name, ort.OrtValue.ortvalue_from_numpy(y))
    times = timed(lambda: session.run_with_iobinding(binding), runs, warmup)
    notes = ["providers %s, intra_op_num_threads=%d" % (",".join(session.get_providers()),
                                                        THREADS)]
    return times, y, {"onnxruntime": ort.__version__, "tf2onnx": metadata.version("tf2onnx"),
                      "onnx": metadata.version("onnx")}, notes, {}


SYSTEMS = {"tf": run_tf, "litert": run_litert, "ort": run_ort}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--system", choices=sorted(SYSTEMS), required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--runs", type=int, required=True)
    ap.add_argument("--warmup", type=int, required=True)
    ap.add_argument("--out-npy", required=True)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    global THREADS  # pylint: disable=global-statement
    THREADS = args.threads
    with open(args.model + ".meta.json", encoding="utf-8") as f:
        meta = json.load(f)
    x = np.load(args.model + ".input.npy")
    times, y, versions, notes, extra = SYSTEMS[args.system](args.model, meta, x, args.runs,
                                                            args.warmup)
    np.save(args.out_npy, np.asarray(y, np.float32))
    result = {"times_ns": times, "versions": versions, "notes": notes}
    result.update(extra)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
