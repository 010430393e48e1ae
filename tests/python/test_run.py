"""batt.run: a run as `batt run` makes it, its results.json returned; errors as the CLI's."""

import json
import subprocess

import pytest

import batt


def test_a_run_returns_its_results_json(repo, tmp_path):
    out = tmp_path / "run"
    results = batt.run(repo / "examples" / "minimal_loop.lua", count=3, jobs=1, backend="cpu", out=out, quiet=True)
    assert results == json.loads((out / "results.json").read_text())
    assert [t["status"] for t in results["tasks"]] == ["done"] * 3
    assert results["summary"]["tasks"] == 3
    assert (out / "submission.json").exists()


def test_split_and_ids_choose_the_tasks(repo, tmp_path):
    results = batt.run(repo / "examples" / "minimal_loop.lua", split="eval", count=2, jobs=2, backend="cpu", out=tmp_path / "a", quiet=True)
    assert [t["split"] for t in results["tasks"]] == ["eval", "eval"]
    results = batt.run(repo / "examples" / "minimal_loop.lua", ids=["8be77c9e"], backend="cpu", out=tmp_path / "b", quiet=True)
    assert [t["id"] for t in results["tasks"]] == ["8be77c9e"]


def cli_error(batt_bin, *args, cwd=None):
    done = subprocess.run([batt_bin, "run", *args], capture_output=True, text=True, cwd=cwd)
    assert done.returncode != 0
    return done.stderr


@pytest.mark.parametrize("kwargs, argv", [
    ({"script": "no/such/script.lua"}, ["no/such/script.lua"]),
    ({"jobs": 0}, ["-j", "0"]),
    ({"timeout": -1.0}, ["-t", "-1"]),
])
def test_errors_carry_the_clis_messages(tmp_path, batt_bin, kwargs, argv):
    with pytest.raises(batt.BattError) as raised:
        batt.run(out=tmp_path / "x", **kwargs)
    assert f"error: {raised.value}" in cli_error(batt_bin, *argv, "--out", str(tmp_path / "y"))


def test_a_bad_flag_value_is_claps_message(tmp_path):
    with pytest.raises(batt.BattError, match="invalid value 'bogus' for '--split <SPLIT>'"):
        batt.run(split="bogus")


def test_a_script_that_stops_the_run_raises_with_the_results(tmp_path, batt_bin):
    script = tmp_path / "broken.lua"
    script.write_text('error("boom")\n')
    with pytest.raises(batt.BattError) as raised:
        batt.run(script, count=2, jobs=1, backend="cpu", out=tmp_path / "run", quiet=True)
    assert "boom" in str(raised.value)
    assert [t["status"] for t in raised.value.results["tasks"]] == ["error", "error"]
    cli = subprocess.run([batt_bin, "run", str(script), "-c", "2", "-j", "1", "--backend", "cpu", "--out", str(tmp_path / "cli")],
                         capture_output=True, text=True)
    assert not str(raised.value).startswith("error:"), "the message after the CLI's `error: ` head"
    assert cli.returncode == 1 and f"error: {raised.value}" in cli.stderr
