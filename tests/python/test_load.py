"""batt.load: every layout the CLI reads, grids as numpy arrays, the loader's messages."""

import json
import subprocess

import numpy as np
import pytest

import batt


def test_the_embedded_corpus_loads_with_numpy_grids():
    tasks = batt.load()
    assert len(tasks) == 800
    assert [len(batt.load(split=s)) for s in ("train", "eval")] == [400, 400]
    t = tasks[0]
    assert set(t) == {"id", "split", "train", "test"}
    g = t["train"][0]["input"]
    assert isinstance(g, np.ndarray) and g.dtype == np.uint8 and g.ndim == 2
    assert t["test"][0]["output"] is not None


def write_task(path, task):
    path.write_text(json.dumps(task))


def test_a_folder_a_task_file_and_a_kaggle_challenges_file(tmp_path):
    task = {"train": [{"input": [[1, 2]], "output": [[2, 1]]}], "test": [{"input": [[3, 4]]}]}
    folder = tmp_path / "tasks"
    folder.mkdir()
    write_task(folder / "aaaa0001.json", task)
    write_task(folder / "aaaa0002.json", task)
    assert [t["id"] for t in batt.load(folder)] == ["aaaa0001", "aaaa0002"]
    one = batt.load(str(folder / "aaaa0001.json"))
    assert len(one) == 1 and one[0]["test"][0]["output"] is None
    assert one[0]["train"][0]["output"].tolist() == [[2, 1]]
    challenges = tmp_path / "arc-agi_test_challenges.json"
    challenges.write_text(json.dumps({"bbbb0001": task}))
    (tmp_path / "arc-agi_test_solutions.json").write_text(json.dumps({"bbbb0001": [[[4, 3]]]}))
    loaded = batt.load(challenges)
    assert loaded[0]["id"] == "bbbb0001"
    assert loaded[0]["test"][0]["output"].tolist() == [[4, 3]]


def test_a_malformed_task_carries_the_loaders_message_and_the_rest_load(tmp_path):
    folder = tmp_path / "tasks"
    folder.mkdir()
    write_task(folder / "good0001.json", {"train": [{"input": [[1]], "output": [[1]]}], "test": [{"input": [[1]]}]})
    write_task(folder / "bad00001.json", {"train": [{"input": [[1, 12]], "output": [[1]]}], "test": [{"input": [[1]]}]})
    tasks = {t["id"]: t for t in batt.load(folder)}
    assert "train" in tasks["good0001"]
    message = tasks["bad00001"]["error"]
    assert "bad00001" in message and "colours must be integers 0..9" in message
    with pytest.raises(batt.BattError, match="colours must be integers 0..9"):
        batt.Engine("cpu").search(tasks["bad00001"])


def test_a_missing_path_is_the_clis_error(tmp_path, batt_bin):
    missing = tmp_path / "nothing.json"
    with pytest.raises(batt.BattError) as raised:
        batt.load(missing)
    cli = subprocess.run([batt_bin, "tasks", "--data", str(missing)], capture_output=True, text=True)
    assert cli.returncode != 0
    assert f"error: {raised.value}" in cli.stderr
