"""The Vulkan backend from Python gives the CPU's answers (lavapipe counts as a device;
under BATT_REQUIRE_GPU=1 these fail, not skip, without one)."""

import numpy as np

import batt


def test_evaluate_on_the_gpu_equals_the_cpu(gpu, cpu, tasks):
    assert gpu.backend.startswith("vulkan: ")
    programs = batt.random_programs(300, 3, seed=11)
    grids = [p["input"] for t in list(tasks.values())[:8] for p in t["train"]][:16]
    on_gpu = gpu.evaluate(programs, grids, grids)
    on_cpu = cpu.evaluate(programs, grids, grids)
    for name in ("produced", "exact", "shape_matched", "cells_matched", "rows", "cols"):
        assert np.array_equal(getattr(on_gpu, name), getattr(on_cpu, name)), name
    for p in range(0, 300, 7):
        for i in range(16):
            a, b = on_gpu.output(p, i), on_cpu.output(p, i)
            assert (a is None and b is None) or np.array_equal(a, b)


def test_search_on_the_gpu_equals_the_cpu(gpu, cpu, tasks):
    task = tasks["8be77c9e"]
    a, b = gpu.search(task, depth=2), cpu.search(task, depth=2)
    assert [f["name"] for f in a] == [f["name"] for f in b]
    assert a[0]["name"] == "tile_mirrored(2x1)"
