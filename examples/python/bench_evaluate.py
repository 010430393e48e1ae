"""Times Engine.evaluate from Python against the same batch through the Rust API, in one
process: 10,000 random 3-step programs (batt.random_programs, the ones `batt bench` times)
on 100 ARC-AGI-1 training input grids, each scored against its grid, outputs kept. The
Rust side (Engine._bench_evaluate) converts the programs and grids once and times only
Engine::evaluate_cross on the same engine; the Python side times the whole call (program
texts parsed, numpy grids read, score arrays made). The two alternate, run by run, so a
busy machine slows both alike; each result is freed after its clock stops. Then Engine.search on a few tasks: the call's wall time
against the Rust engine's part of it (Engine.last_search_seconds).

    python examples/python/bench_evaluate.py                  # cpu, and gpu when a device is there
    python examples/python/bench_evaluate.py --backend cpu --repeats 5
"""

import argparse
import statistics
import time

import batt


def bench_evaluate(backend, programs, grids, repeats, outputs):
    try:
        engine = batt.Engine(backend=backend, cache=False)
    except batt.BattError as e:
        print(f"{backend}: no engine ({e})")
        return None
    engine.evaluate(programs, grids, grids, outputs=outputs)  # warm-up: device buffers, pipeline
    py_all, inner_all, rust_all = [], [], []
    for _ in range(repeats):
        started = time.perf_counter()
        result = engine.evaluate(programs, grids, grids, outputs=outputs)
        py_all.append(time.perf_counter() - started)
        inner_all.append(engine.last_evaluate_seconds)
        del result
        rust_all.extend(engine._bench_evaluate(programs, grids, grids, outputs=outputs, repeats=1))
    py, rust, inner = (statistics.median(x) for x in (py_all, rust_all, inner_all))
    items = len(programs) * len(grids)
    runs = lambda xs: ", ".join(f"{t * 1e3:.0f}" for t in xs)
    print(f"{backend:4} {engine.backend}")
    print(f"     python Engine.evaluate  {py * 1e3:9.1f} ms  (runs: {runs(py_all)}; the engine's part {inner * 1e3:.1f} ms)")
    print(f"     Rust evaluate_cross     {rust * 1e3:9.1f} ms  (runs: {runs(rust_all)})")
    print(f"     {items:,} items; python / rust = {py / rust:.3f}")
    return py / rust


def bench_search(backend, tasks, ids, repeats):
    try:
        engine = batt.Engine(backend=backend, cache=False)
    except batt.BattError as e:
        print(f"{backend}: no engine ({e})")
        return
    for task_id in ids:
        task = tasks[task_id]
        engine.search(task)  # warm-up
        walls, inner = [], []
        for _ in range(repeats):
            started = time.perf_counter()
            found = engine.search(task)
            walls.append(time.perf_counter() - started)
            inner.append(engine.last_search_seconds)
        overhead = [(w - i) / w for w, i in zip(walls, inner)]
        print(f"{backend:4} search {task_id}: {statistics.median(walls) * 1e3:8.1f} ms per call, Rust engine {statistics.median(inner) * 1e3:8.1f} ms, "
              f"Python overhead {100 * statistics.median(overhead):.2f}% ({len(found)} programs)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--backend", default="cpu,gpu", help="comma-separated: cpu, gpu, auto")
    ap.add_argument("--programs", type=int, default=10_000)
    ap.add_argument("--grids", type=int, default=100)
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--no-outputs", action="store_true", help="scores only, no output grids")
    ap.add_argument("--search", default="8be77c9e,90c28cc7,c3f564a4", help="tasks whose search to time ('' for none)")
    args = ap.parse_args()

    tasks = {t["id"]: t for t in batt.load(split="train")}
    grids = [p["input"] for t in tasks.values() for p in t["train"]][: args.grids]
    programs = batt.random_programs(args.programs, args.steps, seed=0x5EED + args.steps)
    print(f"{len(programs)} {args.steps}-step programs x {len(grids)} grids, outputs {'off' if args.no_outputs else 'on'}, median of {args.repeats}")
    for backend in args.backend.split(","):
        bench_evaluate(backend, programs, grids, args.repeats, not args.no_outputs)
    for backend in args.backend.split(","):
        if args.search:
            bench_search(backend, tasks, args.search.split(","), args.repeats)


if __name__ == "__main__":
    main()
