"""Search programs for one ARC task from Python and check the answer.

    python examples/python/search_task.py [TASK_ID]      # default 8be77c9e

Loads the embedded ARC-AGI-1 corpus, searches programs of up to 2 steps on the batch engine
(a GPU when one works, else all CPU cores), prints the best ones, then scores 64 two-step
programs of the task's alphabet on the train pairs in one batch with Engine.evaluate.
"""

import itertools
import sys

import numpy as np

import batt


def draw(grid):
    return "\n".join("".join(".123456789"[v] for v in row) for row in grid.tolist())


def main():
    task_id = sys.argv[1] if len(sys.argv) > 1 else "8be77c9e"
    tasks = {t["id"]: t for t in batt.load()}
    task = tasks[task_id]
    engine = batt.Engine()  # backend="auto"
    print(f"task {task_id}: {len(task['train'])} train pairs, engine {engine.backend}")

    found = engine.search(task, depth=2, keep=5)
    for f in found:
        print(f"  {f['cell_accuracy']:.3f} {'exact' if f['exact'] else '     '}  {f['name']}")
    best = found[0]
    for case, answer in zip(task["test"], best["test_outputs"]):
        print(f"test input:\n{draw(case['input'])}\nanswer of {best['name']}:\n{draw(answer)}")
        if case["output"] is not None:
            print("right" if np.array_equal(answer, case["output"]) else "wrong")

    # many programs on many grids in one batch: every 2-step program of the task's alphabet
    # on the train pairs, as a model-guided search would score its proposals
    steps = batt.alphabet(task)
    programs = [f"{a} | {b}" for a, b in itertools.product(steps, repeat=2)]
    inputs = [p["input"] for p in task["train"]]
    outputs = [p["output"] for p in task["train"]]
    ev = engine.evaluate(programs, inputs, outputs, outputs=False)
    exact = [p for p, row in zip(programs, ev.exact) if row.all()]
    print(f"{len(programs)} two-step programs x {len(inputs)} pairs in one batch: {len(exact)} exact on every pair, such as {exact[:3]}")


if __name__ == "__main__":
    main()
