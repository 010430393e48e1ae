"""batt.Engine: evaluate (many programs on many grids in one batch: outputs and scores)
and search (one task: programs with name, exactness, accuracy and test outputs), on the
CPU; the errors are the CLI's."""

import numpy as np
import pytest

import batt


def test_evaluate_scores_and_outputs_every_program_on_every_grid(cpu):
    grids = [np.array([[1, 2], [3, 4]]), [[5, 0, 0]]]
    expected = [np.rot90(np.array([[1, 2], [3, 4]]), -1), [[0, 0, 5]]]
    ev = cpu.evaluate(["rot90", "flip_leftright", "crop_content | upscale(2)"], grids, expected)
    assert ev.shape == (3, 2) and len(ev) == 6
    assert ev.exact.tolist() == [[True, False], [False, True], [False, False]]
    assert ev.produced.all()
    assert ev.rows.tolist()[2] == [4, 2] and ev.cols.tolist()[2] == [4, 2]
    assert ev.shape_matched.tolist()[1] == [True, True]
    assert ev.cells_matched[1, 0] == 2 and ev.accuracy[1, 0] == 0.5 and ev.accuracy[1, 1] == 1.0
    assert ev.output(0, 0).tolist() == [[3, 1], [4, 2]]
    assert ev.output(2, 1).tolist() == [[5, 5], [5, 5]]
    assert "3 programs x 2 grids, 2 exact" in repr(ev)
    with pytest.raises(IndexError):
        ev.output(3, 0)


def test_evaluate_without_expected_grids_and_outputs(cpu):
    ev = cpu.evaluate(["rot90", "unpad"], [[[1, 2]]], outputs=False)
    assert ev.produced.tolist() == [[True], [False]]
    assert not ev.exact.any() and ev.output(1, 0) is None
    with pytest.raises(batt.BattError, match="did not keep its outputs"):
        ev.output(0, 0)


def test_evaluate_matches_the_cpu_kernels_on_random_programs(cpu, tasks):
    programs = batt.random_programs(200, 3, seed=7)
    grids = [p["input"] for t in list(tasks.values())[:10] for p in t["train"]][:20]
    with_outputs = cpu.evaluate(programs, grids, grids)
    alone = [cpu.evaluate([p], grids, grids) for p in programs[:20]]
    for i, one in enumerate(alone):
        assert (one.exact[0] == with_outputs.exact[i]).all()
        assert (one.cells_matched[0] == with_outputs.cells_matched[i]).all()


def test_program_and_grid_errors_are_the_clis(cpu):
    with pytest.raises(batt.BattError, match='unknown op "rot91"'):
        cpu.evaluate(["rot91"], [[[1]]])
    with pytest.raises(batt.BattError, match=r"grids\[0\]: cell \(row 1, column 2\) is 12; colours must be integers 0..9"):
        cpu.evaluate(["rot90"], [[[1, 12]]])
    with pytest.raises(batt.BattError, match="each side must be between 1 and 30"):
        cpu.evaluate(["rot90"], [np.zeros((31, 2), dtype=np.uint8)])
    with pytest.raises(batt.BattError, match="rows must all be the same length"):
        cpu.evaluate(["rot90"], [[[1, 2], [3]]])
    with pytest.raises(batt.BattError, match="one expected grid per grid"):
        cpu.evaluate(["rot90"], [[[1]]], [[[1]], [[2]]])
    with pytest.raises(batt.BattError, match='unknown backend "tpu"'):
        batt.Engine("tpu")


def test_search_finds_the_tasks_program_and_its_test_outputs(cpu, tasks):
    task = tasks["8be77c9e"]
    found = cpu.search(task, depth=2, keep=5)
    assert 1 <= len(found) <= 5
    best = found[0]
    assert best["name"] == "tile_mirrored(2x1)" and best["program"] == best["name"]
    assert best["exact"] and best["pairs_exact"] == best["pairs"] == len(task["train"])
    assert best["cell_accuracy"] == 1.0
    assert all(np.array_equal(a, c["output"]) for a, c in zip(best["test_outputs"], task["test"]))
    assert cpu.last_search_seconds > 0


def test_search_with_an_alphabet_of_its_own(cpu, tasks):
    task = tasks["0520fde7"]
    found = cpu.search(task, ops=["split_combine(side,and,2)", "rot90"], depth=1)
    assert found[0]["name"] == "split_combine(side,and,2)" and found[0]["exact"]
    with pytest.raises(batt.BattError, match="one step each"):
        cpu.search(task, ops=["rot90 | rot90"])
    with pytest.raises(batt.BattError, match="depth must be 1 to"):
        cpu.search(task, depth=0)


def test_a_hand_written_task_searches(cpu):
    task = {"train": [{"input": [[1, 2]], "output": [[2, 1]]}, {"input": [[3, 0, 4]], "output": [[4, 0, 3]]}],
            "test": [{"input": [[5, 6]]}]}
    found = cpu.search(task, ops=["flip_leftright", "rot90"], depth=1)
    assert found[0]["name"] == "flip_leftright" and found[0]["test_outputs"][0].tolist() == [[6, 5]]


def test_ops_lists_the_op_table():
    names = [op["name"] for op in batt.ops()]
    assert names[:2] == ["identity", "rot90"] and "tile" in names


def test_the_alphabet_is_the_searchs_default(cpu, tasks):
    task = tasks["8be77c9e"]
    steps = batt.alphabet(task)
    assert "tile_mirrored(2x1)" in steps and len(steps) < len(batt.alphabet(task, extended=True))
    assert [f["name"] for f in cpu.search(task, ops=steps)] == [f["name"] for f in cpu.search(task)]
